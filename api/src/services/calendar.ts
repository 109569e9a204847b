import { TZDate } from '@date-fns/tz';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { ICalCalendar, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { bookings } from '@buurtservice/db';
import { formatPostcode, TIME_ZONE, type Locale } from '@buurtservice/shared';

/**
 * iCalendar (RFC 5545) files of jobs: a worker's feed of assignments and a customer's booking.
 *
 * Times are written as local Amsterdam time with `TZID=Europe/Amsterdam` and a VTIMEZONE, so a
 * calendar shows 09:00 on both sides of a clock change. ical-generator writes a native Date in
 * the *process's* time zone when an event names one; a TZDate carries Amsterdam itself, so the
 * server's TZ setting does not matter. The calendar itself names no time zone (`name: null`):
 * then DTSTAMP stays in UTC as the RFC wants, and the generator still adds the VTIMEZONE of the
 * events' zone.
 */

export interface CalendarEvent {
  /** stable per job and person, so a calendar app updates the event instead of adding another */
  uid: string;
  when:
    | { kind: 'timed'; start: Date; end: Date }
    /** not planned yet: the days within which it will be, end date included */
    | { kind: 'days'; first: string; last: string };
  summary: string;
  location: string | null;
  description: string;
  cancelled: boolean;
}

const DAY_MS = 86_400_000;
const noonUtc = (date: string) => new Date(`${date}T12:00:00Z`);

export function icsCalendar(name: string, events: CalendarEvent[], now: Date = new Date()): string {
  const cal = new ICalCalendar({
    name,
    prodId: { company: 'Buurtservice', product: 'Buurtservice', language: 'NL' },
    method: ICalCalendarMethod.PUBLISH,
    timezone: { name: null, generator: getVtimezoneComponent },
  });
  for (const e of events) {
    const common = {
      id: e.uid, stamp: now, summary: e.summary, location: e.location, description: e.description,
      status: e.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    };
    if (e.when.kind === 'timed') {
      cal.createEvent({ ...common, timezone: TIME_ZONE, start: new TZDate(e.when.start, TIME_ZONE), end: new TZDate(e.when.end, TIME_ZONE) });
    } else {
      // All-day dates; DTEND of an all-day event is the day after the last one.
      cal.createEvent({ ...common, allDay: true, start: noonUtc(e.when.first), end: new Date(noonUtc(e.when.last).getTime() + DAY_MS) });
    }
  }
  return cal.toString();
}

/** The address of a job as one line, or the programme's service point. */
export function jobLocation(view: Pick<bookings.BookingView, 'address'>, servicePoint: string): string | null {
  const a = view.address;
  if (!a) return servicePoint || null;
  const street = `${a.street} ${a.houseNumber}${a.houseNumberSuffix ? ` ${a.houseNumberSuffix}` : ''}`;
  return `${a.locationName ? `${a.locationName}, ` : ''}${street}, ${formatPostcode(a.postcode)} ${a.city}`;
}

const TEXTS = {
  nl: {
    feedName: 'Buurtservice: mijn klussen',
    toBePlanned: 'tijd volgt',
    customer: 'Klant',
    team: 'Team',
    notes: 'Opmerkingen',
    leads: 'leidt',
  },
  en: {
    feedName: 'Buurtservice: my jobs',
    toBePlanned: 'time to be planned',
    customer: 'Customer',
    team: 'Team',
    notes: 'Notes',
    leads: 'leads',
  },
} as const satisfies Record<Locale, Record<string, string>>;

export const feedName = (locale: Locale) => TEXTS[locale].feedName;

/**
 * One assignment of a worker as an event. The customer's phone number is left out on purpose: a
 * calendar is synced to other companies' servers; the worker's day in the app has the number.
 */
export function assignmentEvent(item: bookings.ScheduleItem, locale: Locale, servicePoint: string): CalendarEvent {
  const t = TEXTS[locale];
  const { booking, assignment } = item;
  const team = booking.assignments.map((a) => `${a.workerName}${a.leads ? ` (${t.leads})` : ''}`).join(', ');
  return {
    uid: `assignment-${assignment.assignmentId}@buurtservice`,
    when: { kind: 'timed', start: assignment.startsAt, end: assignment.endsAt },
    summary: `${booking.service.name[locale]}: ${booking.customer.name}`,
    location: jobLocation(booking, servicePoint),
    description: [`${t.customer}: ${booking.customer.name}`, `${t.team}: ${team}`, ...(booking.notes ? [`${t.notes}: ${booking.notes}`] : [])].join('\n'),
    cancelled: booking.state === 'cancelled',
  };
}

/**
 * A booking as the customer (or staff) sees it: planned, it runs from the first worker's start
 * for the booked duration; not planned yet within a week, it spans those days.
 */
export function bookingEvent(view: bookings.BookingView, locale: Locale, servicePoint: string, forWorkerId?: string): CalendarEvent {
  const t = TEXTS[locale];
  const own = forWorkerId ? view.assignments.find((a) => a.workerId === forWorkerId) : undefined;
  const start = own?.startsAt ?? view.startsAt ?? view.assignments[0]?.startsAt ?? null;
  const when: CalendarEvent['when'] = own
    ? { kind: 'timed', start: own.startsAt, end: own.endsAt }
    : start
      ? { kind: 'timed', start, end: new Date(start.getTime() + view.durationMinutes * 60_000) }
      : { kind: 'days', first: view.windowStart!, last: view.windowEnd! };
  return {
    uid: `booking-${view.id}${own ? `-${own.workerId}` : ''}@buurtservice`,
    when,
    summary: `Buurtservice: ${view.service.name[locale]}${when.kind === 'days' ? ` (${t.toBePlanned})` : ''}`,
    location: jobLocation(view, servicePoint),
    description: view.notes ? `${t.notes}: ${view.notes}` : '',
    cancelled: view.state === 'cancelled',
  };
}
