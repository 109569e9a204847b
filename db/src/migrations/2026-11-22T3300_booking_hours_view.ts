import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
//
// The hours of one booking as ONE call with a plan PostgreSQL keeps (PL/pgSQL caches its plans per
// connection): the booking, what is still held and owed, its finish/dispute/settle events, everyone
// with a part in it (the active team, anyone who logged time or was settled) and every time entry.
// It was two statements from the API, the first a large one with six subqueries that PostgreSQL
// planned afresh on every request: a third of PostgreSQL's time in the confirm-and-settle bench.
// The reader is db/src/repositories/confirmation.ts bookingHours; times are whole epoch
// milliseconds, cut as the driver cuts a timestamptz it reads. No row: no such booking in the programme.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function booking_hours_view(p_programme uuid, p_booking uuid)
    returns table (id uuid, programme_id uuid, state booking_state, household_id uuid, organisation_id uuid, cents_per_worker_hour integer,
      held integer, owed integer, events json, part json, entries json)
    language plpgsql stable as $$
    #variable_conflict use_column
    begin
      return query
      select bk.id, bk.programme_id, bk.state, bk.household_id, bk.organisation_id, bk.cents_per_worker_hour,
        (select coalesce(sum(b.minutes), 0)::int from ledger_accounts a join ledger_balances b on b.account_id = a.id
          where a.booking_id = bk.id and a.kind = 'hold'),
        (select coalesce(sum(d.minutes - d.settled_minutes), 0)::int from wallet_debts d where d.booking_id = bk.id),
        (select coalesce(json_agg(json_build_object(
            'action', e.action, 'reason', e.reason, 'details', e.details, 'at_ms', floor(extract(epoch from e.at) * 1000)::bigint, 'actor_name', u.display_name
          ) order by e.id), '[]')
          from booking_events e left join users u on u.id = e.actor_user_id
          where e.booking_id = bk.id and e.action in ('finish', 'dispute', 'settle')),
        (select coalesce(json_agg(json_build_object(
            'worker_id', w.worker_id, 'display_name', u.display_name, 'confirmed_minutes', h.confirmed_minutes, 'reason', h.reason,
            'leads', exists (select 1 from booking_assignments a where a.booking_id = bk.id and a.worker_id = w.worker_id and a.released_at is null and a.leads))), '[]')
          from (
            select a.worker_id from booking_assignments a where a.booking_id = bk.id and a.released_at is null
            union select t.worker_id from time_entries t where t.booking_id = bk.id
            union select h.worker_id from booking_hours h where h.booking_id = bk.id) w
          left join users u on u.id = w.worker_id
          left join booking_hours h on h.booking_id = bk.id and h.worker_id = w.worker_id),
        (select coalesce(json_agg(json_build_object(
            'id', t.id, 'programme_id', t.programme_id, 'booking_id', t.booking_id, 'worker_id', t.worker_id,
            'starts_ms', floor(extract(epoch from lower(t.during)) * 1000)::bigint, 'ends_ms', floor(extract(epoch from upper(t.during)) * 1000)::bigint,
            'break_minutes', t.break_minutes, 'raw_minutes', t.raw_minutes, 'billable_minutes', t.billable_minutes, 'over_cap_minutes', t.over_cap_minutes,
            'source', t.source, 'check_in_id', t.check_in_id, 'recorded_by', t.recorded_by, 'created_ms', floor(extract(epoch from t.created_at) * 1000)::bigint
          ) order by t.worker_id, lower(t.during)), '[]')
          from time_entries t where t.booking_id = bk.id)
      from bookings bk
      where bk.programme_id = p_programme and bk.id = p_booking;
    end $$`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists booking_hours_view`.execute(db);
}
