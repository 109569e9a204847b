import PgBoss from 'pg-boss';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '@buurtservice/db';
import { reconcilePendingPayments, type StripeClients } from '../services/stripe.js';
import { expireCheques, warnExpiringCheques, warnExpiringCityPasses } from './wallet-jobs.js';

export const JOBS = {
  walletDaily: 'wallet-daily',
  reconcilePayments: 'payments-reconcile',
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
export async function startJobs(options: { ownerUrl: string; db: Database; stripe: StripeClients; log: FastifyBaseLogger; clock?: () => Date }): Promise<JobRunner> {
  const clock = options.clock ?? (() => new Date());
  const boss = new PgBoss({ connectionString: options.ownerUrl, schema: 'pgboss', max: 2 });
  boss.on('error', (err) => options.log.error({ err }, 'job queue error'));
  await boss.start();
  for (const name of Object.values(JOBS)) await boss.createQueue(name);
  // 02:15 Amsterdam time, after midnight in every season; every 5 minutes for payments.
  await boss.schedule(JOBS.walletDaily, '15 2 * * *', {}, { tz: 'Europe/Amsterdam' });
  await boss.schedule(JOBS.reconcilePayments, '*/5 * * * *', {}, { tz: 'Europe/Amsterdam' });
  await boss.work(JOBS.walletDaily, async () => {
    const now = clock();
    const expired = await expireCheques(options.db, now);
    const chequeWarnings = await warnExpiringCheques(options.db, now);
    const passWarnings = await warnExpiringCityPasses(options.db, now);
    options.log.info({ job: JOBS.walletDaily, expired, chequeWarnings, passWarnings }, 'wallet daily job done');
  });
  await boss.work(JOBS.reconcilePayments, async () => {
    const result = await reconcilePendingPayments(options.db, options.stripe, 10);
    if (result.checked > 0) options.log.info({ job: JOBS.reconcilePayments, ...result }, 'payments reconciled');
  });
  return { boss, stop: () => boss.stop({ graceful: true, wait: true, timeout: 10_000 }) };
}
