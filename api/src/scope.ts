import { households, organisations, type Executor } from '@buurtservice/db';
import { isStaff } from '@buurtservice/shared';
import type { Caller } from './auth.js';
import { appError } from './errors.js';

/** The signed-in caller; only called on routes the access guard protects. */
export function callerOf(request: { caller: Caller | null }): Caller {
  if (!request.caller) throw appError('unauthenticated');
  return request.caller;
}

/**
 * A household the caller may act for: their own (resident), or any household of their programme
 * (staff, acting on the resident's behalf). Anything else does not exist for this caller: 404,
 * so ids of other households cannot be probed.
 */
export async function householdFor(db: Executor, caller: Caller, householdId: string) {
  if (caller.role === 'resident' ? caller.householdId !== householdId : !isStaff(caller.role)) throw appError('not_found');
  const household = await households.findHousehold(db, caller.programmeId, householdId);
  if (!household) throw appError('not_found');
  return household;
}

export async function organisationFor(db: Executor, caller: Caller, organisationId: string) {
  if (caller.role === 'organisation_member' ? caller.organisationId !== organisationId : !isStaff(caller.role)) throw appError('not_found');
  const organisation = await organisations.findOrganisation(db, caller.programmeId, organisationId);
  if (!organisation) throw appError('not_found');
  return organisation;
}
