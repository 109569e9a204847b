/** How the dispatcher's pages describe a job (booking): its time, place and whether it is still open. */
import type { Locale } from '@buurtservice/shared';
import type { Booking, BookingState } from '$lib/api/bookings';
import { dictionary } from '$lib/i18n';
import { clockRange, dayOf, longDay, shortDay } from './time';

/** States in which a job can still get workers. */
const PLANNABLE: readonly BookingState[] = ['requested', 'awaiting_payment', 'ready_to_plan', 'scheduled'];

/** A job that still needs workers. */
export function isOpen(b: Booking): boolean {
  return PLANNABLE.includes(b.state) && b.assignments.length < b.workersNeeded;
}

/** The end of a job that starts at `startsAt`. */
export function endOf(startsAt: string, minutes: number): string {
  return new Date(new Date(startsAt).getTime() + minutes * 60_000).toISOString();
}

/** The day a job is on: its start's day, or (flexible, not planned yet) null. */
export function jobDay(b: Booking): string | null {
  return b.startsAt ? dayOf(b.startsAt) : null;
}

/** "di 3 dec, 10:00–13:00", or the flexible window. */
export function jobWhen(b: Booking, locale: Locale, long = false): string {
  const t = dictionary(locale).dispatch.job;
  if (b.startsAt) {
    const day = dayOf(b.startsAt);
    return t.at(long ? longDay(day, locale) : shortDay(day, locale), clockRange(b.startsAt, endOf(b.startsAt, b.durationMinutes), locale));
  }
  if (b.windowStart && b.windowEnd) return t.window(shortDay(b.windowStart, locale), shortDay(b.windowEnd, locale));
  return '';
}

/** "Wisselaan 12, Breda", a location's name first; the service point when there is no address. */
export function jobPlace(b: Booking, locale: Locale): string {
  const a = b.address;
  if (!a) return dictionary(locale).dispatch.job.servicePoint;
  const street = `${a.street} ${a.houseNumber}${a.houseNumberSuffix ? ` ${a.houseNumberSuffix}` : ''}, ${a.city}`;
  return a.locationName ? `${a.locationName}, ${street}` : street;
}

export function jobTitle(b: Booking, locale: Locale): string {
  return dictionary(locale).dispatch.job.title(b.service.name[locale], b.customer.name);
}

/** The team as "Sanne de Bruijn (leidt het team), Mohamed Ouali". */
export function teamNames(b: Booking, locale: Locale): string {
  const lead = dictionary(locale).dispatch.job.leads;
  return b.assignments.map((a) => (a.leads ? `${a.workerName} (${lead})` : a.workerName)).join(', ');
}
