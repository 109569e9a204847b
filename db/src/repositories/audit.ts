import type { Executor } from '../database.js';

export interface AuditEntry {
  programmeId: string;
  actorUserId: string | null;
  onBehalfOfHouseholdId?: string | null;
  action: string;
  subjectType: string;
  subjectId?: string | null;
  /** Never put a city-pass number or a password here: the log is read by more staff than those may be. */
  details?: Record<string, string | number | boolean | null>;
}

export async function audit(db: Executor, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      programme_id: entry.programmeId,
      actor_user_id: entry.actorUserId,
      on_behalf_of_household_id: entry.onBehalfOfHouseholdId ?? null,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}
