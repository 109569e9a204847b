import { randomUUID } from 'node:crypto';
import { bookings, timeEntries, type Database, type wallet } from '@buurtservice/db';
import { DEFAULT_SETTINGS } from '@buurtservice/shared';
import { assign, book, newWorker, type Programme, type WorkerSpec } from './bookings.js';

/** Building blocks for the confirmation tests (issue 5): a booking worked and `done`, made through the data layer. */

export interface WorkedBy {
  /** minutes this worker logs from the start (raw; billable is rounded up by the programme's rules) */
  minutes: number;
  breakMinutes?: number;
  /** an existing worker; else a fresh one of this spec */
  workerId?: string;
  spec?: WorkerSpec;
}

export interface DoneBooking {
  bookingId: string;
  workerIds: string[];
  startsAt: Date;
}

const MINUTE = 60_000;

/**
 * Books a job for the customer (the hold is taken), assigns a worker per `team` member (the first
 * leads a team of two or more), records each worker's entry from the start, and takes check_in
 * and finish: the booking is `done`, as the worker's phone leaves it.
 */
export async function doneBooking(db: Database, p: Programme, s: { customer: wallet.Owner; startsAt: Date; durationMinutes: number; team: WorkedBy[] }): Promise<DoneBooking> {
  const created = await book(db, p, { customer: s.customer, startsAt: s.startsAt, minutes: s.durationMinutes, workers: s.team.length });
  const bookingId = created.booking.id;
  const workerIds: string[] = [];
  for (const [i, member] of s.team.entries()) {
    const leads = s.team.length > 1 && i === 0;
    const workerId = member.workerId ?? await newWorker(db, p.id, { ...member.spec, skills: [{ skill: 'tuin', level: leads ? 'lead' : 'independent' }] });
    await assign(db, p, bookingId, workerId, { leads });
    workerIds.push(workerId);
  }
  await db.transaction().execute(async (tx) => {
    for (const [i, member] of s.team.entries()) {
      await timeEntries.recordEntry(tx, {
        programmeId: p.id, id: randomUUID(), bookingId, workerId: workerIds[i]!, startsAt: s.startsAt,
        endsAt: new Date(s.startsAt.getTime() + (member.minutes + (member.breakMinutes ?? 0)) * MINUTE), breakMinutes: member.breakMinutes ?? 0,
        source: 'entered_after', recordedBy: workerIds[i]!, settings: DEFAULT_SETTINGS,
      });
    }
    for (const action of ['check_in', 'finish'] as const) {
      await bookings.transitionBooking(tx, { programmeId: p.id, bookingId, action, actorUserId: workerIds[0]! });
    }
  });
  return { bookingId, workerIds, startsAt: s.startsAt };
}

/** When the booking's `finish` was recorded (the automatic confirmation counts from it). */
export async function finishedAt(db: Database, bookingId: string): Promise<Date> {
  const row = await db.selectFrom('booking_events').select('at').where('booking_id', '=', bookingId).where('action', '=', 'finish').executeTakeFirstOrThrow();
  return row.at;
}

/** The ledger transactions of a booking by kind, e.g. { hold: 1, redeem: 1, release: 1 }. */
export async function ledgerKinds(db: Database, bookingId: string): Promise<Record<string, number>> {
  const rows = await db.selectFrom('ledger_transactions').select('kind').where('booking_id', '=', bookingId).execute();
  const out: Record<string, number> = {};
  for (const r of rows) out[r.kind] = (out[r.kind] ?? 0) + 1;
  return out;
}
