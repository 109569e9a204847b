/**
 * Shapes of logged hours (docs/api-hours.md), shared by the worker's routes (time entries, check-ins,
 * the worker's day) and the confirmation routes.
 *
 *   TimeEntrySchema, CheckInSchema     TypeBox shapes of `TimeEntry` / `CheckIn`
 *   timeEntryJson(entry), checkInJson(checkIn)
 *   WorkerJobSchema, workerJobJson(job) the worker's day (`WorkerJob`), with the map link
 */
import { Type, type Static } from 'typebox';
import type { workerDay } from '@buurtservice/db';
import { BookingStateSchema } from './bookings.js';
import { Nullable, Obj, Uuid } from './common.js';

const DateTime = Type.String({ format: 'date-time', examples: ['2027-03-01T10:00:00+01:00'] });

export const TimeEntrySourceSchema = Type.Union([Type.Literal('check_in_out'), Type.Literal('entered_after')]);

export const TimeEntrySchema = Obj({
  id: Uuid,
  bookingId: Uuid,
  workerId: Uuid,
  startsAt: DateTime,
  endsAt: DateTime,
  breakMinutes: Type.Integer(),
  rawMinutes: Type.Integer({ description: 'end − start − break' }),
  billableMinutes: Type.Integer({ description: 'rounded up to the programme step, at least the minimum per visit' }),
  overCapMinutes: Type.Integer({ description: "the part beyond a benefit worker's weekly cap; 0 for everyone else" }),
  source: TimeEntrySourceSchema,
  recordedBy: Nullable(Uuid),
  createdAt: DateTime,
});
export type TimeEntryJson = Static<typeof TimeEntrySchema>;

export const CheckInSchema = Obj({ id: Uuid, bookingId: Uuid, workerId: Uuid, startedAt: DateTime, closedAt: Nullable(DateTime) });
export type CheckInJson = Static<typeof CheckInSchema>;

export interface TimeEntryLike {
  id: string; bookingId: string; workerId: string; startsAt: Date; endsAt: Date; breakMinutes: number;
  rawMinutes: number; billableMinutes: number; overCapMinutes: number; source: 'check_in_out' | 'entered_after';
  recordedBy: string | null; createdAt: Date;
}

export function timeEntryJson(e: TimeEntryLike): TimeEntryJson {
  return {
    id: e.id, bookingId: e.bookingId, workerId: e.workerId, startsAt: e.startsAt.toISOString(), endsAt: e.endsAt.toISOString(),
    breakMinutes: e.breakMinutes, rawMinutes: e.rawMinutes, billableMinutes: e.billableMinutes, overCapMinutes: e.overCapMinutes,
    source: e.source, recordedBy: e.recordedBy, createdAt: e.createdAt.toISOString(),
  };
}

export interface CheckInLike { id: string; bookingId: string; workerId: string; startedAt: Date; closedAt: Date | null }

export function checkInJson(c: CheckInLike): CheckInJson {
  return { id: c.id, bookingId: c.bookingId, workerId: c.workerId, startedAt: c.startedAt.toISOString(), closedAt: c.closedAt?.toISOString() ?? null };
}

export const WorkerJobSchema = Obj({
  bookingId: Uuid,
  state: BookingStateSchema,
  service: Obj({ code: Type.String(), name: Obj({ nl: Type.String(), en: Type.String() }) }),
  startsAt: DateTime,
  endsAt: DateTime,
  customerName: Type.String(),
  contactPhone: Nullable(Type.String({ description: "the booking's contact phone, else the customer's phone" })),
  address: Nullable(Obj({
    street: Type.String(), houseNumber: Type.Integer(), houseNumberSuffix: Type.String(), postcode: Type.String(), city: Type.String(), locationName: Nullable(Type.String()),
  })),
  mapUrl: Nullable(Type.String({ description: 'https://www.openstreetmap.org/search?query=<address>' })),
  notes: Type.String(),
  team: Type.Array(Obj({ workerId: Uuid, name: Type.String(), leads: Type.Boolean() })),
  leads: Type.Boolean({ description: 'this worker leads' }),
  checkIn: Nullable(CheckInSchema),
  entries: Type.Array(TimeEntrySchema),
  canLog: Type.Boolean({ description: 'entries are still accepted' }),
});
export type WorkerJobJson = Static<typeof WorkerJobSchema>;

/** "Wisselaan 12A, 4823 AB Breda": the postcode written as people write it, for the map search. */
function addressLine(a: NonNullable<workerDay.WorkerJob['address']>): string {
  const postcode = /^\d{4}[A-Z]{2}$/.test(a.postcode) ? `${a.postcode.slice(0, 4)} ${a.postcode.slice(4)}` : a.postcode;
  return `${a.street} ${a.houseNumber}${a.houseNumberSuffix}, ${postcode} ${a.city}`;
}

export function workerJobJson(j: workerDay.WorkerJob): WorkerJobJson {
  return {
    bookingId: j.bookingId, state: j.state, service: j.service, startsAt: j.startsAt.toISOString(), endsAt: j.endsAt.toISOString(),
    customerName: j.customerName, contactPhone: j.contactPhone, address: j.address,
    mapUrl: j.address ? `https://www.openstreetmap.org/search?query=${encodeURIComponent(addressLine(j.address))}` : null,
    notes: j.notes, team: j.team, leads: j.leads, checkIn: j.checkIn ? checkInJson(j.checkIn) : null, entries: j.entries.map(timeEntryJson), canLog: j.canLog,
  };
}
