import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// Most workers never sign in: the dispatcher gives them their jobs. Such a worker may still have
// an email address for messages. So an email no longer needs a password; a password still needs
// an email (signing in is by email). The foundation's unnamed check was `users_check`.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table users drop constraint users_check`.execute(db);
  await sql`alter table users add constraint users_password_needs_email check (password_hash is null or email is not null)`.execute(db);
}

// Back to "email if and only if password": an email without a password is dropped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`update users set email = null where password_hash is null and email is not null`.execute(db);
  await sql`alter table users drop constraint users_password_needs_email`.execute(db);
  await sql`alter table users add constraint users_check check ((email is null) = (password_hash is null))`.execute(db);
}
