import type { Migration } from 'kysely';
import * as foundation from './2026-11-22T1500_foundation.js';
import * as wallet from './2026-11-22T1600_wallet.js';
import * as apiRole from './2026-11-22T1700_api_role.js';
import * as counter from './2026-11-22T1800_counter_and_idempotency.js';
import * as invoices from './2026-11-22T1900_invoices.js';
import * as onlinePayments from './2026-11-22T2000_online_payments.js';
import * as outbox from './2026-11-22T2100_outbox.js';
import * as bookings from './2026-11-22T2200_bookings.js';
import * as bookingSeries from './2026-11-22T2300_booking_series.js';
import * as outboxDelivery from './2026-11-22T2400_outbox_delivery.js';
import * as absenceKindOther from './2026-11-22T2450_absence_kind_other.js';
import * as ledgerFunctions from './2026-11-22T2500_ledger_functions.js';
import * as workerEmailWithoutLogin from './2026-11-22T2550_worker_email_without_login.js';
import * as planningIndexes from './2026-11-22T2600_planning_indexes.js';
import * as timeEntries from './2026-11-22T2700_time_entries.js';
import * as checkIns from './2026-11-22T2800_check_ins.js';
import * as bookingHours from './2026-11-22T2850_booking_hours.js';
import * as workExperience from './2026-11-22T2900_work_experience.js';
import * as bookingFunction from './2026-11-22T3000_booking_function.js';
import * as settleFunction from './2026-11-22T3100_settle_function.js';
import * as bookingLookups from './2026-11-22T3200_booking_lookups.js';
import * as bookingHoursView from './2026-11-22T3300_booking_hours_view.js';
import * as callList from './2026-11-22T3400_call_list.js';

/**
 * Every migration, by name. Names carry a sortable date prefix and the Migrator runs them in
 * name order; a migration, once landed, is never edited: a change is a new migration.
 * (A static list rather than a folder scan, so the same code runs under tsx, vitest and a bundler.)
 */
export const migrations: Record<string, Migration> = {
  '2026-11-22T1500_foundation': foundation,
  '2026-11-22T1600_wallet': wallet,
  '2026-11-22T1700_api_role': apiRole,
  '2026-11-22T1800_counter_and_idempotency': counter,
  '2026-11-22T1900_invoices': invoices,
  '2026-11-22T2000_online_payments': onlinePayments,
  '2026-11-22T2100_outbox': outbox,
  '2026-11-22T2200_bookings': bookings,
  '2026-11-22T2300_booking_series': bookingSeries,
  '2026-11-22T2400_outbox_delivery': outboxDelivery,
  '2026-11-22T2450_absence_kind_other': absenceKindOther,
  '2026-11-22T2500_ledger_functions': ledgerFunctions,
  '2026-11-22T2550_worker_email_without_login': workerEmailWithoutLogin,
  '2026-11-22T2600_planning_indexes': planningIndexes,
  '2026-11-22T2700_time_entries': timeEntries,
  '2026-11-22T2800_check_ins': checkIns,
  '2026-11-22T2850_booking_hours': bookingHours,
  '2026-11-22T2900_work_experience': workExperience,
  '2026-11-22T3000_booking_function': bookingFunction,
  '2026-11-22T3100_settle_function': settleFunction,
  '2026-11-22T3200_booking_lookups': bookingLookups,
  '2026-11-22T3300_booking_hours_view': bookingHoursView,
  '2026-11-22T3400_call_list': callList,
};
