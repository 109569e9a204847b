/**
 * What the planner knows about jobs and workers: plain data, loaded by `db/src/repositories/planning.ts`.
 * Instants are epoch milliseconds (cheap to compare on the hot path); local times are Europe/Amsterdam.
 */

export type SkillLevel = 'learning' | 'independent' | 'lead';
export type WorkerContract = 'paid' | 'volunteer' | 'benefit' | 'trainee';
export type AbsenceKind = 'leave' | 'sick' | 'other';

export interface Interval {
  /** epoch ms, included */
  start: number;
  /** epoch ms, excluded */
  end: number;
}

export interface PlanAssignment extends Interval {
  bookingId: string;
}

export interface PlanAbsence extends Interval {
  kind: AbsenceKind;
}

export interface AvailabilitySlot {
  /** ISO weekday, 1 = Monday … 7 = Sunday */
  weekday: number;
  /** minutes since local midnight */
  startMinute: number;
  endMinute: number;
}

export interface PlanWorker {
  id: string;
  displayName: string;
  active: boolean;
  contract: WorkerContract;
  /** only a worker on a benefit has one */
  weeklyCapMinutes: number | null;
  homeBuurtId: string | null;
  /** skill code → level */
  skills: Readonly<Record<string, SkillLevel>>;
  availability: readonly AvailabilitySlot[];
  absences: readonly PlanAbsence[];
  /**
   * Active assignments, every booking. They must cover the whole ISO weeks the planning looks at:
   * the planner counts the weekly cap from them (as the database's cap trigger does).
   */
  assignments: readonly PlanAssignment[];
  /** minutes assigned in the local calendar month of the planning date (for fair shares) */
  monthMinutes: number;
  /** customers this worker has worked for before (`customerKey`) */
  customers: ReadonlySet<string>;
}

export interface PlanJob {
  /** the booking's id */
  id: string;
  /** the service's required skill */
  skill: string;
  /** `customerKey` of the household or organisation */
  customer: string;
  /** the buurt of the address; null at the service point or when unknown */
  buurtId: string | null;
  durationMinutes: number;
  workersNeeded: number;
  /** a fixed start (epoch ms), else null */
  startsAt: number | null;
  /** a flexible booking: local dates 'YYYY-MM-DD', both included */
  window: { start: string; end: string } | null;
  /** assignments already made (by a dispatcher): kept as they are */
  assigned: readonly { workerId: string; leads: boolean; startsAt: number }[];
}

export const customerKey = (c: { householdId?: string | null; organisationId?: string | null }): string =>
  c.householdId ? `household:${c.householdId}` : `organisation:${c.organisationId ?? ''}`;

export interface PlanningContext {
  /** now (epoch ms): nothing is planned to start before it */
  now: number;
  /**
   * Buurten that border each other (buurt id → its neighbours). The data has none yet (the
   * `buurten` table holds names only), so today the buurt criterion is "same buurt" or not.
   */
  neighbours?: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface LocalizedText {
  nl: string;
  en: string;
}

/** Why a worker fits a job or not, one code per criterion of the suggestions. */
export const REASON_CODES = ['skill', 'available', 'free', 'weekly_cap', 'buurt', 'known_customer', 'fair_hours', 'absent'] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export interface Reason {
  code: ReasonCode;
  ok: boolean;
  text: LocalizedText;
}
