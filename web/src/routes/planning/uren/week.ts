/**
 * The shape of `GET /dispatch/hours-week` (docs/api-hours.md); the ISO-week arithmetic is in
 * shared/src/weeks.ts.
 */
export type ExceptionKind = 'missing_check_out' | 'over_cap' | 'open_dispute' | 'no_hours';

export interface WorkerWeek {
  workerId: string;
  name: string;
  contract: 'paid' | 'volunteer' | 'benefit' | 'trainee';
  weeklyCapMinutes: number | null;
  scheduledMinutes: number;
  loggedMinutes: number;
  confirmedMinutes: number;
}

export interface WeekException {
  kind: ExceptionKind;
  bookingId: string;
  workerId: string | null;
  workerName: string | null;
  customerName: string;
  startsAt: string;
  endsAt: string;
  detail: { minutes: number | null; reason: string | null; since: string | null };
}

export interface HoursWeek {
  week: string;
  from: string;
  until: string;
  workers: WorkerWeek[];
  exceptions: WeekException[];
}
