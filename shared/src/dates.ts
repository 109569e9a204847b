/** Calendar helpers in the programme's time zone (Europe/Amsterdam). */
export const TIME_ZONE = 'Europe/Amsterdam';

const dayFormatter = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

// Amsterdam's offset from UTC is a whole number of hours, so its calendar day can only change on a
// UTC minute boundary: the last answer is reused within the same minute (Intl formatting is slow
// enough to show in the quote benchmark).
let lastMinute = Number.NaN;
let lastDay = '';

/** The calendar day 'YYYY-MM-DD' in Amsterdam at an instant. */
export function amsterdamDate(instant: Date = new Date()): string {
  const minute = Math.floor(instant.getTime() / 60_000);
  if (minute !== lastMinute) {
    lastDay = dayFormatter.format(instant);
    lastMinute = minute;
  }
  return lastDay;
}

export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}
