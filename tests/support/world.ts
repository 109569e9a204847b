import { sql } from 'kysely';
import { DEMO_LOGINS, type Database } from '@buurtservice/db';
import type { Role } from '@buurtservice/shared';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

/** The demo user of Breda Noordoost (db/src/seed/demo.ts) who plays each role in the tests. */
export const ROLE_LOGINS: Record<Role, string> = {
  resident: 'bewoner@example.nl',
  organisation_member: 'organisatie@example.nl',
  dispatcher: 'coordinator@example.nl',
  worker: 'medewerker@example.nl',
  programme_admin: 'beheer@example.nl',
};
export const CITY_PASS_RESIDENT = 'bredapas@example.nl';
export const UTRECHT_RESIDENT = 'bewoner.utrecht@example.nl';
export const UTRECHT_ADMIN = 'beheer.utrecht@example.nl';
export const DEMO_EMAILS: readonly string[] = DEMO_LOGINS.map((l) => l.email);

export interface ProgrammeObjects {
  id: string;
  /** household id by household name */
  households: Record<string, string>;
  /** organisation id by name */
  organisations: Record<string, string>;
  /** service id by code */
  services: Record<string, string>;
}

export interface DemoWorld {
  breda: ProgrammeObjects;
  utrecht: ProgrammeObjects;
}

async function programmeObjects(db: Database, slug: string): Promise<ProgrammeObjects> {
  const p = await db.selectFrom('programmes').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
  const [hs, os, ss] = await Promise.all([
    db.selectFrom('households').select(['id', 'name']).where('programme_id', '=', p.id).execute(),
    db.selectFrom('organisations').select(['id', 'name']).where('programme_id', '=', p.id).execute(),
    db.selectFrom('services').select(['id', 'code']).where('programme_id', '=', p.id).execute(),
  ]);
  return {
    id: p.id,
    households: Object.fromEntries(hs.map((h) => [h.name, h.id])),
    organisations: Object.fromEntries(os.map((o) => [o.name, o.id])),
    services: Object.fromEntries(ss.map((s) => [s.code, s.id])),
  };
}

/** Ids of the demo objects of both programmes, read from the test database. */
export async function loadWorld(db: Database): Promise<DemoWorld> {
  const [breda, utrecht] = await Promise.all([programmeObjects(db, 'breda-noordoost'), programmeObjects(db, 'utrecht-overvecht')]);
  return { breda, utrecht };
}

/** `record[key]`, or a failing test that names what is missing from the demo data. */
export function must(record: Record<string, string>, key: string): string {
  const value = record[key];
  if (!value) throw new Error(`demo data has no '${key}' (have: ${Object.keys(record).join(', ')})`);
  return value;
}

/**
 * Every id and identifying text of one programme: the id of every row of every table with a
 * `programme_id`, its name and city-pass name, buurten, households, users, organisations and their
 * locations, city-pass and receipt numbers (services and tariffs by id only: both programmes start
 * from the same catalogue). None may ever reach another
 * programme's caller.
 */
export async function programmeFingerprint(db: Database, programmeId: string): Promise<string[]> {
  const p = await db.selectFrom('programmes').select(['id', 'name', 'city_pass_name']).where('id', '=', programmeId).executeTakeFirstOrThrow();
  const [buurten, households, users, orgs, locations, services, tariffs] = await Promise.all([
    db.selectFrom('buurten').select(['id', 'name']).where('programme_id', '=', programmeId).execute(),
    db.selectFrom('households').select(['id', 'name', 'phone', 'postcode', 'street']).where('programme_id', '=', programmeId).execute(),
    db.selectFrom('users').select(['id', 'display_name', 'email']).where('programme_id', '=', programmeId).execute(),
    db.selectFrom('organisations').select(['id', 'name', 'kvk_number', 'email']).where('programme_id', '=', programmeId).execute(),
    db.selectFrom('organisation_locations').select(['id', 'name']).where('programme_id', '=', programmeId).execute(),
    db.selectFrom('services').select('id').where('programme_id', '=', programmeId).execute(),
    db.selectFrom('tariffs').select('id').where('programme_id', '=', programmeId).execute(),
  ]);
  // Every id of every table that belongs to a programme, including tables added after this was written.
  const owned = await sql<{ table_name: string }>`
    select c.table_name from information_schema.columns c
    join information_schema.columns i on i.table_schema = c.table_schema and i.table_name = c.table_name and i.column_name = 'id'
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = 'public' and c.column_name = 'programme_id'`.execute(db);
  const ownedIds: string[] = [];
  for (const { table_name } of owned.rows) {
    const rows = await sql<{ id: string }>`select id::text as id from ${sql.table(table_name)} where programme_id = ${programmeId}`.execute(db);
    ownedIds.push(...rows.rows.map((r) => r.id));
  }
  const [passes, sales] = await Promise.all([
    sql<{ v: string }>`select pass_number as v from city_passes where programme_id = ${programmeId}`.execute(db),
    sql<{ v: string }>`select receipt_number as v from counter_sales where programme_id = ${programmeId}`.execute(db).catch(() => ({ rows: [] as { v: string }[] })),
  ]);
  const values = [
    ...ownedIds, ...passes.rows.map((r) => r.v), ...sales.rows.map((r) => r.v),
    p.id, p.name, p.city_pass_name,
    ...buurten.flatMap((b) => [b.id, b.name]),
    ...households.flatMap((h) => [h.id, h.name, h.phone, h.postcode, h.street]),
    ...users.flatMap((u) => [u.id, u.display_name, u.email]),
    ...orgs.flatMap((o) => [o.id, o.name, o.kvk_number, o.email]),
    ...locations.flatMap((l) => [l.id, l.name]),
    ...services.map((s) => s.id),
    ...tariffs.map((t) => t.id),
  ];
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length >= 4))];
}

/** The fingerprint entries that occur in a response body. */
export function leaksIn(body: string, fingerprint: readonly string[]): string[] {
  return fingerprint.filter((value) => body.includes(value));
}

export interface ErrorBody {
  code: string;
  message: string;
  fields?: { field: string; code: string }[];
}

/** Asserts `{ code, message }` (and optionally `fields`) with the expected status and code. */
export function expectError(res: LightMyRequestResponse, status: number, code: string): ErrorBody {
  expect({ status: res.statusCode, body: res.body }).toMatchObject({ status });
  const body = res.json<ErrorBody>();
  expect(body.code).toBe(code);
  expect(typeof body.message).toBe('string');
  expect(body.message.length).toBeGreaterThan(0);
  expect(Object.keys(body).filter((k) => !['code', 'message', 'fields'].includes(k))).toEqual([]);
  return body;
}

export async function countRows(db: Database, ...tables: ('users' | 'households' | 'organisations' | 'organisation_locations' | 'audit_log' | 'tariffs' | 'refresh_tokens')[]) {
  const out: Record<string, number> = {};
  for (const table of tables) {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}
