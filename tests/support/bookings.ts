import { randomUUID } from 'node:crypto';
import { bookings, wallet, workers, type Database } from '@buurtservice/db';

/** Building blocks for the data-layer tests of bookings and workers (tests/integration/bookings-db.test.ts). */

export interface Programme {
  id: string;
  dispatcherId: string;
  adminId: string;
  services: Record<string, string>;
}

export async function programme(db: Database, slug: string): Promise<Programme> {
  const p = await db.selectFrom('programmes').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
  const staff = await db.selectFrom('users').select(['id', 'role']).where('programme_id', '=', p.id).where('role', 'in', ['dispatcher', 'programme_admin']).execute();
  const services = await db.selectFrom('services').select(['id', 'code']).where('programme_id', '=', p.id).execute();
  const admin = staff.find((s) => s.role === 'programme_admin');
  if (!admin) throw new Error(`${slug} has no admin in the demo data`);
  return {
    id: p.id,
    // Utrecht has no dispatcher in the demo: its admin plays that part.
    dispatcherId: (staff.find((s) => s.role === 'dispatcher') ?? admin).id,
    adminId: admin.id,
    services: Object.fromEntries(services.map((s) => [s.code, s.id])),
  };
}

/** A household of its own, so every test has a wallet nobody else touches. */
export async function newHousehold(db: Database, programmeId: string, postcode = '4823AB'): Promise<{ householdId: string }> {
  const h = await db
    .insertInto('households')
    .values({ programme_id: programmeId, name: `Test ${randomUUID().slice(0, 8)}`, street: 'Teststraat', house_number: 1, postcode, city: 'Breda' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { householdId: h.id };
}

export async function buy(db: Database, programmeId: string, owner: wallet.Owner, cheques: number): Promise<void> {
  await db.transaction().execute((tx) => wallet.buyCheques(tx, {
    programmeId, owner, cheques, source: 'counter', category: 'resident', centsPerHour: 1000, expiresAt: null,
    reference: `test-${randomUUID()}`, idempotencyKey: `test-buy-${randomUUID()}`,
  }));
}

export interface WorkerSpec {
  contract?: workers.NewWorker['contract'];
  weeklyCapMinutes?: number | null;
  skills?: workers.Skill[];
}

/** A fresh worker account and worker, by default paid and independent in the garden. */
export async function newWorker(db: Database, programmeId: string, spec: WorkerSpec = {}): Promise<string> {
  const user = await db
    .insertInto('users')
    .values({ programme_id: programmeId, role: 'worker', display_name: `Werker ${randomUUID().slice(0, 8)}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.transaction().execute(async (tx) => {
    await workers.createWorker(tx, {
      programmeId, userId: user.id, contract: spec.contract ?? 'paid', weeklyCapMinutes: spec.weeklyCapMinutes ?? null, startedOn: '2026-01-01',
    });
    await workers.setSkills(tx, programmeId, user.id, spec.skills ?? [{ skill: 'tuin', level: 'independent' }]);
  });
  return user.id;
}

export interface BookingSpec {
  customer: wallet.Owner;
  service?: string;
  startsAt?: Date;
  window?: { start: string; end: string };
  minutes?: number;
  workers?: number;
}

/** Books a job at the customer's home (tuindienst unless told) as the dispatcher, on behalf of the household. */
export async function book(db: Database, p: Programme, spec: BookingSpec): Promise<bookings.CreatedBooking> {
  const serviceId = p.services[spec.service ?? 'tuindienst'];
  if (!serviceId) throw new Error(`no service ${spec.service}`);
  const timing: bookings.BookingTiming = spec.window ? { windowStart: spec.window.start, windowEnd: spec.window.end } : { startsAt: spec.startsAt ?? new Date('2027-03-01T10:00:00+01:00') };
  return db.transaction().execute((tx) => bookings.createBooking(tx, {
    programmeId: p.id,
    customer: spec.customer,
    serviceId,
    place: spec.customer.householdId ? { kind: 'home' } : { kind: 'service_point' },
    timing,
    durationMinutes: spec.minutes ?? 60,
    workersNeeded: spec.workers ?? 1,
    notes: 'Hond in de tuin; bel aan bij de achterdeur.',
    contactPhone: '06 1234 5678',
    tariff: { category: 'resident', centsPerWorkerHour: 1000 },
    createdBy: p.dispatcherId,
    onBehalf: true,
  }));
}

export async function assign(db: Database, p: Programme, bookingId: string, workerId: string, extra: { leads?: boolean; startsAt?: Date } = {}) {
  return db.transaction().execute((tx) => bookings.assignWorker(tx, { programmeId: p.id, bookingId, workerId, actorUserId: p.dispatcherId, ...extra }));
}

export async function heldMinutes(db: Database, programmeId: string, bookingId: string): Promise<number> {
  const hold = await db.selectFrom('ledger_accounts').select('id').where('programme_id', '=', programmeId).where('kind', '=', 'hold').where('booking_id', '=', bookingId).executeTakeFirst();
  if (!hold) return 0;
  return db.transaction().execute((tx) => wallet.accountBalance(tx, hold.id));
}

export async function stateOf(db: Database, bookingId: string) {
  return (await db.selectFrom('bookings').select('state').where('id', '=', bookingId).executeTakeFirstOrThrow()).state;
}

/** Settles every promise and splits the outcomes. */
export async function settle<T>(work: Promise<T>[]): Promise<{ ok: T[]; errors: unknown[] }> {
  const results = await Promise.allSettled(work);
  return {
    ok: results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
    errors: results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : [])),
  };
}
