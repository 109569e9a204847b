import type { Role } from '@buurtservice/shared';
import type { Dictionary } from '$lib/i18n';

export type CardKey = keyof Dictionary['home']['cards'];

/** A tile on the home page: with `href` it is built; without, it is marked "coming soon". */
export interface Card {
  key: CardKey;
  href?: string;
}

/** What each role can do, in the order they most often need it. */
export const CARDS_BY_ROLE: Record<Role, readonly Card[]> = {
  resident: [{ key: 'services', href: '/diensten' }, { key: 'book' }, { key: 'bookings' }, { key: 'wallet' }, { key: 'cityPass' }],
  organisation_member: [{ key: 'services', href: '/diensten' }, { key: 'orgBookings' }, { key: 'orgHours' }, { key: 'invoices' }],
  dispatcher: [{ key: 'dispatchBoard' }, { key: 'households' }, { key: 'sellCheques' }, { key: 'verifyPass' }, { key: 'services', href: '/diensten' }],
  worker: [{ key: 'myJobs' }, { key: 'logHours' }, { key: 'progress' }, { key: 'services', href: '/diensten' }],
  programme_admin: [{ key: 'manageServices' }, { key: 'manageUsers' }, { key: 'figures' }, { key: 'services', href: '/diensten' }],
};
