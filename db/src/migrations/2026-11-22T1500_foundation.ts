import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// Every domain table carries programme_id, and references between domain rows are composite
// (programme_id, id) foreign keys, so a row can never point at another programme's row.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists btree_gist`.execute(db);

  await sql`
    create table programmes (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique check (slug ~ '^[a-z0-9-]{2,40}$'),
      name text not null check (length(name) between 2 and 100),
      city text not null,
      city_pass_name text not null,
      settings jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table buurten (
      id uuid primary key default gen_random_uuid(),
      programme_id uuid not null references programmes (id),
      name text not null,
      unique (programme_id, id),
      unique (programme_id, name)
    )`.execute(db);

  // A postcode prefix ('4823' or '4823AB') belongs to exactly one programme in the deployment,
  // and optionally to one of its buurten. The longest matching prefix wins.
  await sql`
    create table postcode_areas (
      prefix text primary key check (prefix ~ '^[1-9][0-9]{3}([A-Z]{2})?$'),
      programme_id uuid not null references programmes (id),
      buurt_id uuid,
      foreign key (programme_id, buurt_id) references buurten (programme_id, id)
    )`.execute(db);

  await sql`
    create table households (
      id uuid primary key default gen_random_uuid(),
      programme_id uuid not null references programmes (id),
      name text not null,
      street text not null,
      house_number integer not null check (house_number between 1 and 99999),
      house_number_suffix text not null default '',
      postcode text not null check (postcode ~ '^[1-9][0-9]{3}[A-Z]{2}$'),
      city text not null,
      buurt_id uuid,
      phone text,
      created_at timestamptz not null default now(),
      unique (programme_id, id),
      foreign key (programme_id, buurt_id) references buurten (programme_id, id)
    )`.execute(db);
  await sql`create index households_address_idx on households (programme_id, postcode, house_number)`.execute(db);

  await sql`
    create table organisations (
      id uuid primary key default gen_random_uuid(),
      programme_id uuid not null references programmes (id),
      name text not null,
      kvk_number text not null check (kvk_number ~ '^[0-9]{8}$'),
      vat_number text check (vat_number ~ '^NL[0-9]{9}B[0-9]{2}$'),
      billing_street text not null,
      billing_house_number integer not null check (billing_house_number between 1 and 99999),
      billing_house_number_suffix text not null default '',
      billing_postcode text not null check (billing_postcode ~ '^[1-9][0-9]{3}[A-Z]{2}$'),
      billing_city text not null,
      email text,
      phone text,
      created_at timestamptz not null default now(),
      unique (programme_id, id),
      unique (programme_id, kvk_number)
    )`.execute(db);

  await sql`
    create table organisation_locations (
      id uuid primary key default gen_random_uuid(),
      programme_id uuid not null references programmes (id),
      organisation_id uuid not null,
      name text not null,
      street text not null,
      house_number integer not null check (house_number between 1 and 99999),
      house_number_suffix text not null default '',
      postcode text not null check (postcode ~ '^[1-9][0-9]{3}[A-Z]{2}$'),
      city text not null,
      buurt_id uuid,
      unique (programme_id, id),
      foreign key (programme_id, organisation_id) references organisations (programme_id, id),
      foreign key (programme_id, buurt_id) references buurten (programme_id, id)
    )`.execute(db);

  await sql`create type user_role as enum ('resident', 'organisation_member', 'dispatcher', 'worker', 'programme_admin')`.execute(db);
  await sql`
    create table users (
      id uuid primary key default gen_random_uuid(),
      programme_id uuid not null references programmes (id),
      role user_role not null,
      email text,
      password_hash text,
      display_name text not null,
      phone text,
      locale text not null default 'nl' check (locale in ('nl', 'en')),
      household_id uuid,
      organisation_id uuid,
      created_by uuid references users (id),
      created_at timestamptz not null default now(),
      disabled_at timestamptz,
      unique (programme_id, id),
      foreign key (programme_id, household_id) references households (programme_id, id),
      foreign key (programme_id, organisation_id) references organisations (programme_id, id),
      check (email is null or email = lower(email)),
      check ((email is null) = (password_hash is null)),
      check ((role = 'resident') = (household_id is not null)),
      check ((role = 'organisation_member') = (organisation_id is not null))
    )`.execute(db);
  // One account per email address in the whole deployment, so a login is never ambiguous.
  await sql`create unique index users_email_idx on users (email) where email is not null`.execute(db);
  await sql`create index users_household_idx on users (household_id) where household_id is not null`.execute(db);

  // The city pass (e.g. BredaPas) of a household. Personal data of a vulnerable group: only the
  // household and its programme's staff read it, and every change is in the audit log.
  await sql`
    create table city_passes (
      household_id uuid primary key references households (id),
      programme_id uuid not null references programmes (id),
      pass_number text not null check (length(pass_number) between 4 and 32),
      expires_on date not null,
      verified_at timestamptz,
      verified_by uuid references users (id),
      updated_at timestamptz not null default now(),
      foreign key (programme_id, household_id) references households (programme_id, id)
    )`.execute(db);

  await sql`create type service_location as enum ('customer_address', 'service_point')`.execute(db);
  await sql`
    create table services (
      id uuid primary key default gen_random_uuid(),
      programme_id uuid not null references programmes (id),
      code text not null check (code ~ '^[a-z0-9-]{2,40}$'),
      name_nl text not null check (length(name_nl) between 2 and 80),
      name_en text not null check (length(name_en) between 2 and 80),
      description_nl text not null check (length(description_nl) <= 1000),
      description_en text not null check (length(description_en) <= 1000),
      location service_location not null,
      default_duration_minutes integer not null check (default_duration_minutes between 15 and 720 and default_duration_minutes % 15 = 0),
      min_workers integer not null check (min_workers >= 1),
      max_workers integer not null check (max_workers between min_workers and 20),
      required_skill text not null check (required_skill ~ '^[a-z0-9-]{2,40}$'),
      active boolean not null default true,
      sort_order integer not null default 0,
      updated_at timestamptz not null default now(),
      unique (programme_id, id),
      unique (programme_id, code)
    )`.execute(db);

  await sql`create type customer_category as enum ('resident', 'resident_city_pass', 'organisation')`.execute(db);
  // A tariff holds from valid_from until the next tariff of the same category. Rows are never
  // updated: a new price is a new row, so a price once charged can always be traced back.
  await sql`
    create table tariffs (
      id uuid primary key default gen_random_uuid(),
      programme_id uuid not null references programmes (id),
      category customer_category not null,
      cents_per_worker_hour integer not null check (cents_per_worker_hour between 0 and 100000),
      valid_from date not null,
      created_by uuid references users (id),
      created_at timestamptz not null default now(),
      unique (programme_id, category, valid_from)
    )`.execute(db);

  // Refresh tokens rotate: each use marks the row used and issues a successor in the same family.
  // Presenting a used token again is theft or a replay, and revokes the whole family.
  await sql`
    create table refresh_tokens (
      id uuid primary key default gen_random_uuid(),
      family_id uuid not null,
      user_id uuid not null references users (id),
      token_hash bytea not null unique,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz,
      revoked_at timestamptz
    )`.execute(db);
  await sql`create index refresh_tokens_family_idx on refresh_tokens (family_id)`.execute(db);

  // Failed sign-in counters for rate limiting; key is e.g. 'ip:1.2.3.4' or 'acct:<email>'.
  await sql`
    create table login_throttle (
      key text primary key,
      failures integer not null,
      window_started_at timestamptz not null,
      blocked_until timestamptz
    )`.execute(db);

  await sql`
    create table audit_log (
      id bigserial primary key,
      programme_id uuid not null references programmes (id),
      actor_user_id uuid references users (id),
      on_behalf_of_household_id uuid,
      action text not null,
      subject_type text not null,
      subject_id uuid,
      details jsonb not null default '{}'::jsonb,
      at timestamptz not null default now()
    )`.execute(db);
  await sql`create index audit_log_subject_idx on audit_log (programme_id, subject_type, subject_id)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'audit_log', 'login_throttle', 'refresh_tokens', 'tariffs', 'services', 'city_passes', 'users',
    'organisation_locations', 'organisations', 'households', 'postcode_areas', 'buurten', 'programmes',
  ]) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
  for (const type of ['customer_category', 'service_location', 'user_role']) {
    await sql`drop type if exists ${sql.raw(type)}`.execute(db);
  }
}
