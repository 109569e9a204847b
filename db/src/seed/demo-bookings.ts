import { sql } from 'kysely';
import type { CustomerCategory } from '@buurtservice/shared';
import type { Database } from '../database.js';
import { assignWorker, createBooking, rescheduleBooking, type BookingPlace, type BookingTiming, type Customer } from '../repositories/bookings.js';
import { buyCheques } from '../wallet/operations.js';

/**
 * Demo jobs for the coming week in Breda Noordoost, so a dispatcher who opens the board after the
 * quick start finds open jobs to plan (and auto-plan), and the demo worker (Sanne, medewerker@example.nl)
 * finds a job in her day's list: the odd job at Fam. Jansen on Monday is hers; Mevr. De Vries (no
 * e-mail) is to be phoned about the day of her job (the call list). Only for the zero-setup start, never for the
 * test template: their dates follow the calendar, tests need fixed ones. Runs once, right after the
 * demo data was seeded; wallets get cheques first, so every job holds its minutes.
 */
export async function seedDemoBookings(db: Database, now: Date = new Date()): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const breda = await tx.selectFrom('programmes').select('id').where('slug', '=', 'breda-noordoost').executeTakeFirstOrThrow();
    const dispatcher = await tx.selectFrom('users').select('id').where('email', '=', 'coordinator@example.nl').executeTakeFirstOrThrow();
    const services = Object.fromEntries((await tx.selectFrom('services').select(['id', 'code']).where('programme_id', '=', breda.id).execute()).map((s) => [s.code, s.id]));
    const household = async (name: string) => (await tx.selectFrom('households').select('id').where('programme_id', '=', breda.id).where('name', '=', name).executeTakeFirstOrThrow()).id;
    const jansen = await household('Fam. Jansen');
    const yilmaz = await household('Fam. Yilmaz');
    const devries = await household('Mevr. De Vries');
    const org = await tx.selectFrom('organisations').select('id').where('programme_id', '=', breda.id).where('name', '=', 'Woonstichting Noordoost').executeTakeFirstOrThrow();
    const locations = Object.fromEntries((await tx.selectFrom('organisation_locations').select(['id', 'name']).where('organisation_id', '=', org.id).execute()).map((l) => [l.name, l.id]));

    const buy = (owner: Customer, cheques: number, category: CustomerCategory, centsPerHour: number, source: 'counter' | 'invoice') =>
      buyCheques(tx, {
        programmeId: breda.id, owner, cheques, source, category, centsPerHour, expiresAt: null, reference: 'DEMO',
        idempotencyKey: `demo:purchase:${owner.householdId ?? owner.organisationId ?? ''}`, actorUserId: dispatcher.id,
      });
    await buy({ householdId: jansen }, 20, 'resident', 1000, 'counter');
    await buy({ householdId: yilmaz }, 10, 'resident_city_pass', 600, 'counter');
    await buy({ householdId: devries }, 10, 'resident', 1000, 'counter');
    await buy({ organisationId: org.id }, 40, 'organisation', 1500, 'invoice');

    // Monday of next week (Amsterdam), and a local wall-clock time on a day of that week as an instant.
    const monday = (await sql<{ d: string }>`select to_char(date_trunc('week', (${now}::timestamptz at time zone 'Europe/Amsterdam')::date + 7), 'YYYY-MM-DD') as d`.execute(tx)).rows[0]!.d;
    const at = async (dayOffset: number, hhmm: string): Promise<BookingTiming> => ({
      startsAt: (await sql<{ t: Date }>`select ((${monday}::date + ${dayOffset}::int) + ${hhmm}::time) at time zone 'Europe/Amsterdam' as t`.execute(tx)).rows[0]!.t,
    });
    const week = async (): Promise<BookingTiming> => {
      const end = (await sql<{ d: string }>`select to_char(${monday}::date + 4, 'YYYY-MM-DD') as d`.execute(tx)).rows[0]!.d;
      return { windowStart: monday, windowEnd: end };
    };

    const jobs: { customer: Customer; service: string; place: BookingPlace; timing: BookingTiming; minutes: number; workers: number; notes: string; category: CustomerCategory; cents: number }[] = [
      { customer: { householdId: jansen }, service: 'tuindienst', place: { kind: 'home' }, timing: await at(1, '10:00'), minutes: 180, workers: 2, notes: 'Heg snoeien en groenafval meenemen. Poort aan de achterkant.', category: 'resident', cents: 1000 },
      { customer: { householdId: jansen }, service: 'klussendienst', place: { kind: 'home' }, timing: await at(0, '14:00'), minutes: 90, workers: 1, notes: 'Lamp ophangen in de gang.', category: 'resident', cents: 1000 },
      { customer: { householdId: yilmaz }, service: 'schoonmaakdienst', place: { kind: 'home' }, timing: await at(2, '09:30'), minutes: 120, workers: 1, notes: 'Wij spreken Turks en Nederlands.', category: 'resident_city_pass', cents: 600 },
      { customer: { householdId: devries }, service: 'woonzorgdienst', place: { kind: 'home' }, timing: await week(), minutes: 120, workers: 1, notes: 'Mevrouw hoort slecht: bel lang aan.', category: 'resident', cents: 1000 },
      { customer: { organisationId: org.id }, service: 'tuindienst', place: { kind: 'organisation_location', locationId: locations['Flat Wisselaan']! }, timing: await at(3, '09:00'), minutes: 240, workers: 3, notes: 'Binnentuin, sleutel bij de huismeester.', category: 'organisation', cents: 1500 },
      { customer: { organisationId: org.id }, service: 'klussendienst', place: { kind: 'organisation_location', locationId: locations['Seniorencomplex De Geeren']! }, timing: await at(4, '13:00'), minutes: 120, workers: 1, notes: 'Gemeenschappelijke ruimte: stoelen repareren.', category: 'organisation', cents: 1500 },
    ];
    const made: string[] = [];
    for (const j of jobs) {
      const created = await createBooking(tx, {
        programmeId: breda.id, customer: j.customer, serviceId: services[j.service]!, place: j.place, timing: j.timing,
        durationMinutes: j.minutes, workersNeeded: j.workers, notes: j.notes, contactPhone: null,
        tariff: { category: j.category, centsPerWorkerHour: j.cents }, createdBy: dispatcher.id, onBehalf: true,
      });
      made.push(created.booking.id);
    }
    const sanne = await tx.selectFrom('users').select('id').where('email', '=', 'medewerker@example.nl').executeTakeFirstOrThrow();
    await assignWorker(tx, { programmeId: breda.id, bookingId: made[1]!, workerId: sanne.id, actorUserId: dispatcher.id });
    // Mevr. De Vries's job of 'some day next week' gets its day. She has no e-mail address: once the
    // delivery job finds no one to send the new time to, she is on the dispatchers' call list.
    await rescheduleBooking(tx, { programmeId: breda.id, bookingId: made[3]!, timing: await at(2, '10:00'), actorUserId: dispatcher.id });
    return jobs.length;
  });
}
