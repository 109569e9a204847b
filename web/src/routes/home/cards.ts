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
  resident: [
    { key: 'services', href: '/diensten' },
    { key: 'book', href: '/boeken' },
    { key: 'bookings', href: '/boekingen' },
    { key: 'wallet', href: '/portemonnee' },
    { key: 'cityPass', href: '/stadspas' },
  ],
  organisation_member: [
    { key: 'services', href: '/diensten' },
    { key: 'orgBookings', href: '/organisatie/boekingen' },
    { key: 'orgWallet', href: '/portemonnee' },
    { key: 'orgHours', href: '/organisatie/bestellen' },
    { key: 'invoices', href: '/organisatie/facturen' },
  ],
  dispatcher: [
    { key: 'dispatchBoard', href: '/planning' },
    { key: 'calls', href: '/planning/bellen' },
    { key: 'workers', href: '/medewerkers' },
    { key: 'households', href: '/balie' },
    { key: 'sellCheques', href: '/balie' },
    { key: 'verifyPass', href: '/balie' },
    { key: 'services', href: '/diensten' },
  ],
  worker: [{ key: 'myJobs', href: '/werk' }, { key: 'logHours', href: '/werk' }, { key: 'progress', href: '/werk/ervaring' }, { key: 'services', href: '/diensten' }],
  programme_admin: [
    { key: 'adminInvoices', href: '/beheer/facturen' },
    { key: 'counter', href: '/balie' },
    { key: 'calls', href: '/planning/bellen' },
    { key: 'workers', href: '/medewerkers' },
    { key: 'manageServices' },
    { key: 'manageUsers' },
    { key: 'figures' },
    { key: 'services', href: '/diensten' },
  ],
};
