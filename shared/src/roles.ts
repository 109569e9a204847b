export const ROLES = ['resident', 'organisation_member', 'dispatcher', 'worker', 'programme_admin'] as const;
export type Role = (typeof ROLES)[number];

/** Staff of a programme: they act on behalf of its households and organisations. */
export const STAFF_ROLES = ['dispatcher', 'programme_admin'] as const satisfies readonly Role[];
export const CUSTOMER_ROLES = ['resident', 'organisation_member'] as const satisfies readonly Role[];

export function isStaff(role: Role): boolean {
  return (STAFF_ROLES as readonly Role[]).includes(role);
}
