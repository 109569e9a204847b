import PgBoss from 'pg-boss';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '@buurtservice/db';
import { reconcilePendingPayments, type StripeClients } from '../services/stripe.js';
import { expireCheques, resumeWaitingBookings, warnExpiringCheques, warnExpiringCityPasses } from './wallet-jobs.js';
import { DELIVERY, deliverOutbox, sendBookingReminders } from './notification-jobs.js';
import { logMailer, type Mailer } from '../services/mailer.js';
import { extendAllSeries } from './series-jobs.js';
import { runHoursAutoConfirm } from './hours-jobs.js';

export const JOBS = {
  walletDaily: 'wallet-daily',
  reconcilePayments: 'payments-reconcile',
  deliverOutbox: 'outbox-deliver',
  bookingReminders: 'booking-reminders',
  seriesDaily: 'series-daily',
  hoursAutoConfirm: 'hours-auto-confirm',
} as const;

export interface JobRunner {
  boss: PgBoss;
  stop(): Promise<void>;
}

/**
 * Background jobs on the same PostgreSQL (pg-boss keeps its queue in the `pgboss` schema, so a job
 * survives a restart and runs on one instance at a time). `ownerUrl` is the schema owner's
 * connection, since pg-boss manages its own tables; the jobs' work uses the API's pool.
 */
export async function startJobs(options: {
  ownerUrl: string; db: Database; stripe: StripeClients; log: FastifyBaseLogger; clock?: () => Date;
  /** how the outbox's messages leave (services/mailer.ts createMailer); default: the log */
  mailer?: Mailer; publicWebUrl?: string;
}): Promise<JobRunner> {
  const clock = options.clock ?? (() => new Date());
  const mailer = options.mailer ?? logMailer(options.log, 'Buurtservice <noreply@buurtservice.local>');
  const boss = new PgBoss({ connectionString: options.ownerUrl, schema: 'pgboss', max: 2 });
  boss.on('error', (err) => options.log.error({ err }, 'job queue error'));
  await boss.start();
  for (const name of Object.values(JOBS)) await boss.createQueue(name);
  // 02:15 Amsterdam time, after midnight in every season; every 5 minutes for payments.
  await boss.schedule(JOBS.walletDaily, '15 2 * * *', {}, { tz: 'Europe/Amsterdam' });
  await boss.schedule(JOBS.reconcilePayments, '*/5 * * * *', {}, { tz: 'Europe/Amsterdam' });
  // Messages every minute. Reminders for tomorrow from 18:00, once an hour until 23:00, so a job
  // planned in the evening is reminded too (each reminder is written once: its key holds the day).
  await boss.schedule(JOBS.deliverOutbox, '* * * * *', {}, { tz: 'Europe/Amsterdam' });
  await boss.schedule(JOBS.bookingReminders, '0 18-23 * * *', {}, { tz: 'Europe/Amsterdam' });
  // 03:30 Amsterdam: clear of the hour that is skipped or doubled when the clocks change.
  await boss.schedule(JOBS.seriesDaily, '30 3 * * *', {}, { tz: 'Europe/Amsterdam' });
  // Logged hours: reminders a day ahead and the automatic confirmation, every quarter of an hour.
  await boss.schedule(JOBS.hoursAutoConfirm, '*/15 * * * *', {}, { tz: 'Europe/Amsterdam' });
  await boss.work(JOBS.walletDaily, async () => {
    const now = clock();
    const expired = await expireCheques(options.db, now);
    const chequeWarnings = await warnExpiringCheques(options.db, now);
    const passWarnings = await warnExpiringCityPasses(options.db, now);
    options.log.info({ job: JOBS.walletDaily, expired, chequeWarnings, passWarnings }, 'wallet daily job done');
  });
  await boss.work(JOBS.seriesDaily, async () => {
    const result = await extendAllSeries(options.db, clock());
    if (result.failed.length > 0) options.log.warn({ job: JOBS.seriesDaily, ...result }, 'some series could not be extended');
    else options.log.info({ job: JOBS.seriesDaily, ...result }, 'series extended');
  });
  await boss.work(JOBS.hoursAutoConfirm, async () => {
    const { reminders, autoConfirm } = await runHoursAutoConfirm(options.db, clock());
    const summary = { job: JOBS.hoursAutoConfirm, reminders, confirmed: autoConfirm.confirmed.length, skipped: autoConfirm.skipped.length, failed: autoConfirm.failed };
    if (autoConfirm.failed.length > 0) options.log.warn(summary, 'some hours could not be confirmed automatically');
    else if (reminders > 0 || autoConfirm.confirmed.length > 0) options.log.info(summary, 'hours confirmed automatically');
  });
  await boss.work(JOBS.deliverOutbox, async () => {
    // A backlog drains in batches; each batch is claimed on its own (see notification-jobs.ts).
    for (let batch = 0; batch < 20; batch++) {
      const report = await deliverOutbox(options.db, mailer, { now: clock(), publicWebUrl: options.publicWebUrl, log: options.log });
      if (report.claimed > 0 || report.givenUp > 0) options.log.info({ job: JOBS.deliverOutbox, ...report }, 'outbox delivered');
      if (report.claimed < DELIVERY.batchSize || report.released > 0) break;
    }
  });
  await boss.work(JOBS.bookingReminders, async () => {
    const reminders = await sendBookingReminders(options.db, clock());
    if (reminders > 0) options.log.info({ job: JOBS.bookingReminders, reminders }, 'booking reminders written');
  });
  await boss.work(JOBS.reconcilePayments, async () => {
    const result = await reconcilePendingPayments(options.db, options.stripe, 10);
    if (result.checked > 0) options.log.info({ job: JOBS.reconcilePayments, ...result }, 'payments reconciled');
    // The safety net behind every purchase path's own resume (best effort there).
    const waiting = await resumeWaitingBookings(options.db);
    if (waiting.resumed > 0 || waiting.failed > 0) options.log.info({ job: JOBS.reconcilePayments, ...waiting }, 'bookings waiting for payment resumed');
  });
  return {
    boss,
    stop: async () => {
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
      mailer.close();
    },
  };
}
