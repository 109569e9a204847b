import { error } from '@sveltejs/kit';
import { errorMessage, type Locale } from '@buurtservice/shared';
import type { ApiResult, CityPass, Me, Service } from '$lib/api/types';
import type { ApiClient } from './client';
import { dataOrError } from './load';

/** Whose cheques a signed-in customer sees and buys: their household's or their organisation's. */
export type WalletOwner = { kind: 'household'; id: string; name: string } | { kind: 'organisation'; id: string; name: string };

export function walletOwnerOf(me: Me): WalletOwner | null {
  if (me.role === 'resident' && me.household) return { kind: 'household', id: me.household.id, name: me.household.name };
  if (me.role === 'organisation_member' && me.organisation) return { kind: 'organisation', id: me.organisation.id, name: me.organisation.name };
  return null;
}

/** The API path of an owner: `/households/:id` or `/organisations/:id`. */
export function ownerPath(owner: WalletOwner): string {
  return owner.kind === 'household' ? `/households/${owner.id}` : `/organisations/${owner.id}`;
}

/**
 * The price of one cheque (one worker-hour) for a customer today: every service has the same
 * tariff per category, so the first service tells it. Staff name the customer in `query`.
 * Null when the programme has no services or no tariff in force.
 */
export async function centsPerCheque(api: ApiClient, locale: Locale, query = ''): Promise<number | null> {
  const result = await api.get<{ services: Service[] }>(`/services${query}`);
  if (!result.ok) {
    if (result.status === 403 || result.status === 404) error(result.status, errorMessage(result.error.code, locale));
    error(503, errorMessage('not_ready', locale));
  }
  return result.data.services.find((service) => service.centsPerWorkerHour !== null)?.centsPerWorkerHour ?? null;
}

/** The household's city pass, or null when none was entered yet. */
export function passOrNull(result: ApiResult<CityPass>, locale: Locale): CityPass | null {
  if (!result.ok && result.error.code === 'city_pass_missing') return null;
  return dataOrError(result, locale);
}
