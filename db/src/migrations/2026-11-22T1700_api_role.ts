import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
//
// The API works as the role `buurtservice_api` (it switches to it on every connection; see
// database.ts). That role may read and append to the ledger but never UPDATE, DELETE or TRUNCATE
// it; the append-only triggers refuse those for every role besides.
// Roles are shared by all databases of a server, so it is created only when missing; a server
// where the migrating user may not create roles skips this step (the triggers still hold).


// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    do $$
    begin
      if not exists (select 1 from pg_roles where rolname = 'buurtservice_api') then
        create role buurtservice_api nologin;
      end if;
      execute format('grant buurtservice_api to %I', current_user);
      execute format('grant usage on schema public to buurtservice_api');
      grant select, insert, update, delete on all tables in schema public to buurtservice_api;
      grant usage, select on all sequences in schema public to buurtservice_api;
      -- tables of later migrations too
      alter default privileges in schema public grant select, insert, update, delete on tables to buurtservice_api;
      alter default privileges in schema public grant usage, select on sequences to buurtservice_api;
      revoke update, delete, truncate on ledger_entries, ledger_transactions, cheque_lots from buurtservice_api;
      -- balances are kept only by the ledger trigger (security definer, runs as the owner)
      revoke insert, update, delete, truncate on ledger_balances from buurtservice_api;
      -- an account never changes owner or kind once made
      revoke update, delete, truncate on ledger_accounts from buurtservice_api;
    exception when insufficient_privilege then
      raise notice 'cannot create or grant role buurtservice_api; the API keeps the connecting role';
    end $$`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    do $$
    begin
      if exists (select 1 from pg_roles where rolname = 'buurtservice_api') then
        revoke all on all tables in schema public from buurtservice_api;
        revoke all on all sequences in schema public from buurtservice_api;
        revoke usage on schema public from buurtservice_api;
        alter default privileges in schema public revoke all on tables from buurtservice_api;
        alter default privileges in schema public revoke all on sequences from buurtservice_api;
      end if;
    end $$`.execute(db);
}
