import { confirmation, type Database } from '@buurtservice/db';

/**
 * The automatic confirmation of logged hours (docs/api-hours.md, "Confirmation"): every run first
 * reminds the customers whose hours are confirmed within a day, then confirms and settles the
 * `done` bookings whose finish is autoConfirmDays old (not those flagged over a cap: a dispatcher
 * confirms them). The clock is a parameter (tests move it). Both halves are idempotent: a reminder
 * is written once per booking and account, a booking is settled once however often this runs.
 */
export interface HoursJobReport {
  reminders: number;
  autoConfirm: confirmation.AutoConfirmReport;
}

export async function runHoursAutoConfirm(db: Database, now: Date): Promise<HoursJobReport> {
  const reminders = await confirmation.remindDue(db, { now });
  const autoConfirm = await confirmation.autoConfirmDue(db, { now });
  return { reminders, autoConfirm };
}
