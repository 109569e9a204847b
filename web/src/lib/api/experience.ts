/** The API's shapes of the work-experience record and the calendar feed (docs/api-hours.md). */

export type TrajectoryStatus = 'active' | 'completed' | 'stopped_early' | 'subsidised_work' | 'regular_work';
export const TRAJECTORY_STATUSES: readonly TrajectoryStatus[] = ['active', 'completed', 'stopped_early', 'subsidised_work', 'regular_work'];

export interface ServiceMinutes {
  code: string;
  name: { nl: string; en: string };
  minutes: number;
  jobs: number;
}

export interface Certificate {
  id: string;
  name: string;
  issuedOn: string;
  issuer: string;
}

export interface Trajectory {
  status: TrajectoryStatus;
  /** when the current status was set; null: since the start */
  since: string | null;
  /** newest first */
  history: { status: TrajectoryStatus; note: string | null; actorName: string | null; at: string }[];
}

export interface Experience {
  worker: { id: string; name: string; startedOn: string; contract: 'paid' | 'volunteer' | 'benefit' | 'trainee' };
  canEdit: boolean;
  trajectory: Trajectory;
  totalMinutes: number;
  /** oldest first */
  months: { month: string; minutes: number; byService: ServiceMinutes[] }[];
  services: ServiceMinutes[];
  certificates: Certificate[];
}

export interface CalendarFeedStatus {
  feed: { createdAt: string } | null;
}
