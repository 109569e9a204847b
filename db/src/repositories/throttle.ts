import { sql } from 'kysely';
import type { Executor } from '../database.js';

export interface ThrottleRule {
  /** Failures allowed within the window before the key is blocked. */
  maxFailures: number;
  windowSeconds: number;
  blockSeconds: number;
}

/** Seconds the key is still blocked for, or 0. */
export async function blockedFor(db: Executor, key: string): Promise<number> {
  const row = await db
    .selectFrom('login_throttle')
    .select(sql<number>`ceil(extract(epoch from blocked_until - now()))::int`.as('seconds'))
    .where('key', '=', key)
    .where('blocked_until', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row?.seconds ?? 0;
}

/** Counts one failure against the key (a fresh window after the old one ends) and blocks it at the limit. */
export async function recordFailure(db: Executor, key: string, rule: ThrottleRule): Promise<void> {
  const windowStale = sql<boolean>`login_throttle.window_started_at < now() - make_interval(secs => ${rule.windowSeconds})`;
  await sql`
    insert into login_throttle as login_throttle (key, failures, window_started_at, blocked_until)
    values (${key}, 1, now(), case when 1 >= ${rule.maxFailures} then now() + make_interval(secs => ${rule.blockSeconds}) end)
    on conflict (key) do update set
      failures = case when ${windowStale} then 1 else login_throttle.failures + 1 end,
      window_started_at = case when ${windowStale} then now() else login_throttle.window_started_at end,
      blocked_until = case
        when (case when ${windowStale} then 1 else login_throttle.failures + 1 end) >= ${rule.maxFailures}
          then now() + make_interval(secs => ${rule.blockSeconds})
        else login_throttle.blocked_until end
  `.execute(db);
}

export async function clearFailures(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}
