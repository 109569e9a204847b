/**
 * The shapes of the hours answers the web uses (docs/api-hours.md): the worker's day, logged
 * entries and check-ins, and what a customer confirms. Used by the server and the browser.
 */
import type { BookingState } from '$lib/api/bookings';
import type { EntryField, EntryInput } from './entry';

export type TimeEntrySource = 'check_in_out' | 'entered_after';

export interface TimeEntry {
  id: string;
  bookingId: string;
  workerId: string;
  startsAt: string;
  endsAt: string;
  breakMinutes: number;
  rawMinutes: number;
  billableMinutes: number;
  overCapMinutes: number;
  source: TimeEntrySource;
  recordedBy: string | null;
  createdAt: string;
}

export interface CheckIn {
  id: string;
  bookingId: string;
  workerId: string;
  startedAt: string;
  closedAt: string | null;
}

export interface JobAddress {
  street: string;
  houseNumber: number;
  houseNumberSuffix: string;
  postcode: string;
  city: string;
  locationName: string | null;
}

/** One job on the worker's day: this worker's assignment, with what they need on the spot. */
export interface WorkerJob {
  bookingId: string;
  state: BookingState;
  service: { code: string; name: { nl: string; en: string } };
  startsAt: string;
  endsAt: string;
  customerName: string;
  contactPhone: string | null;
  address: JobAddress | null;
  mapUrl: string | null;
  notes: string;
  team: { workerId: string; name: string; leads: boolean }[];
  leads: boolean;
  checkIn: CheckIn | null;
  entries: TimeEntry[];
  canLog: boolean;
}

export type HoursAction = 'confirm' | 'dispute' | 'resolve';

export interface WorkerHours {
  workerId: string;
  name: string;
  entries: TimeEntry[];
  billableMinutes: number;
  overCapMinutes: number;
  confirmedMinutes: number | null;
  adjustReason: string | null;
}

export interface HoursStatement {
  redeemedMinutes: number;
  cents: number;
  releasedMinutes: number;
  owedMinutes: number;
  settledAt: string;
}

/** The hours of one booking as its customer (or staff) sees them before and after confirming. */
export interface BookingHours {
  bookingId: string;
  state: BookingState;
  centsPerWorkerHour: number;
  heldMinutes: number;
  workers: WorkerHours[];
  totalBillableMinutes: number;
  totalCents: number;
  needsDispatcher: boolean;
  autoConfirmAt: string | null;
  dispute: null | { reason: string; byName: string | null; at: string };
  statement: HoursStatement | null;
  actions: HoursAction[];
}

/** What `POST /check-ins` and `POST /time-entries` say about the booking afterwards. */
export interface BookingStateRef {
  id: string;
  state: BookingState;
}

/** A form of the worker's day the server refused (posted without JavaScript). */
export interface JobFailure {
  form: 'check_in' | 'check_out' | 'entry';
  message?: string | undefined;
  errors?: Partial<Record<EntryField, string>> | undefined;
  values?: EntryInput | undefined;
}
