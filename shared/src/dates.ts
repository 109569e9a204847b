/** Calendar helpers in the programme's time zone (Europe/Amsterdam). */
export const TIME_ZONE = 'Europe/Amsterdam';

const dayFormatter = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar day 'YYYY-MM-DD' in Amsterdam at an instant. */
export function amsterdamDate(instant: Date = new Date()): string {
  return dayFormatter.format(instant);
}

export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}
