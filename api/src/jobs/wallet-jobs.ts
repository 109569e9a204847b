import { sql } from 'kysely';
import { bookings, outbox, wallet, type Database } from '@buurtservice/db';
import { amsterdamDate } from '@buurtservice/shared';

/**
 * The wallet's daily work. Each job takes the clock as an argument (tests move it) and is
 * idempotent: a second run on the same day changes nothing.
 */

/** Moves the unspent minutes of expired lots to the expired account, per programme. */
export async function expireCheques(db: Database, now: Date): Promise<{ lots: number; minutes: number }> {
  const programmes = await db.selectFrom('programmes').select('id').execute();
  let lots = 0;
  let minutes = 0;
  for (const p of programmes) {
    const r = await db.transaction().execute((tx) => wallet.expireLots(tx, { programmeId: p.id, now, runKey: amsterdamDate(now) }));
    lots += r.lots;
    minutes += r.minutes;
  }
  return { lots, minutes };
}

/** Tells each wallet owner, once per lot, that unspent cheques expire within 30 days. */
export async function warnExpiringCheques(db: Database, now: Date): Promise<number> {
  const due = await sql<{ programme_id: string; household_id: string | null; organisation_id: string | null; lot_id: string; minutes: number; expires_at: Date }>`
    select l.programme_id, a.household_id, a.organisation_id, l.id as lot_id, b.minutes, l.expires_at
    from cheque_lots l
    join ledger_balances b on b.lot_id = l.id and b.account_id = l.wallet_account_id
    join ledger_accounts a on a.id = l.wallet_account_id
    where b.minutes > 0 and l.expires_at > ${now} and l.expires_at <= ${now}::timestamptz + interval '30 days'`.execute(db);
  let sent = 0;
  for (const lot of due.rows) {
    const fresh = await outbox.enqueue(db, {
      programme_id: lot.programme_id, household_id: lot.household_id, organisation_id: lot.organisation_id, kind: 'cheques_expiring',
      dedupe_key: `cheques-expiring:${lot.lot_id}`, payload: JSON.stringify({ lotId: lot.lot_id, minutes: lot.minutes, expiresOn: amsterdamDate(lot.expires_at) }),
    });
    if (fresh) sent += 1;
  }
  return sent;
}

/** Tells each household, once per pass, that its verified city pass expires within 30 days. */
export async function warnExpiringCityPasses(db: Database, now: Date): Promise<number> {
  const today = amsterdamDate(now);
  const in30 = amsterdamDate(new Date(now.getTime() + 30 * 86_400_000));
  const due = await db
    .selectFrom('city_passes')
    .select(['programme_id', 'household_id', 'expires_on'])
    .where('verified_at', 'is not', null)
    .where('expires_on', '>=', today)
    .where('expires_on', '<=', in30)
    .execute();
  let sent = 0;
  for (const pass of due) {
    const fresh = await outbox.enqueue(db, {
      programme_id: pass.programme_id, household_id: pass.household_id, kind: 'city_pass_expiring',
      dedupe_key: `city-pass-expiring:${pass.household_id}:${pass.expires_on}`, payload: JSON.stringify({ expiresOn: pass.expires_on }),
    });
    if (fresh) sent += 1;
  }
  return sent;
}

/**
 * Bookings that wait for payment move on as soon as their wallet can hold them. Every purchase
 * path does this right after it commits, but best effort (a failure there must not fail the
 * purchase); this job is the safety net that tries again for every wallet with a waiting booking
 * whose free balance could now hold at least the smallest of them. Each wallet in a transaction
 * of its own; idempotent (the hold's key is per booking).
 */
export async function resumeWaitingBookings(db: Database): Promise<{ resumed: number; failed: number }> {
  const due = await sql<{ programme_id: string; household_id: string | null; organisation_id: string | null }>`
    select b.programme_id, b.household_id, b.organisation_id
    from bookings b
    join ledger_accounts a on a.programme_id = b.programme_id and a.kind = 'wallet'
      and a.household_id is not distinct from b.household_id and a.organisation_id is not distinct from b.organisation_id
    where b.state = 'awaiting_payment'
    group by b.programme_id, b.household_id, b.organisation_id, a.id
    having min(b.workers_needed * b.duration_minutes) <= ledger_spendable(a.id)`.execute(db);
  let resumed = 0;
  let failed = 0;
  for (const w of due.rows) {
    const customer: bookings.Customer = w.household_id ? { householdId: w.household_id } : { organisationId: w.organisation_id! };
    try {
      resumed += (await db.transaction().execute((tx) => bookings.resumeAwaitingBookings(tx, { programmeId: w.programme_id, customer }))).resumed.length;
    } catch {
      failed += 1;
    }
  }
  return { resumed, failed };
}
