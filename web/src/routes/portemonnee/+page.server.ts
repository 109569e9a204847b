import { error, redirect } from '@sveltejs/kit';
import { errorMessage, isStaff } from '@buurtservice/shared';
import type { Wallet, WalletHistory } from '$lib/api/types';
import { requireUser } from '$lib/server/auth';
import { dataOrError } from '$lib/server/load';
import { ownerPath, walletOwnerOf } from '$lib/server/wallet';
import { activeLots } from '$lib/wallet';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const me = requireUser(locals, url);
  const owner = walletOwnerOf(me);
  if (!owner) {
    // Staff have no wallet of their own: they work with households' wallets at the counter.
    if (isStaff(me.role)) redirect(303, '/balie');
    error(403, errorMessage('forbidden', locals.locale));
  }
  const path = ownerPath(owner);
  // ?eerder=<cursor>: the older movements, a page at a time (the API checks the cursor).
  const before = url.searchParams.get('eerder');
  const historyUrl = `${path}/wallet/history${before ? `?before=${encodeURIComponent(before)}` : ''}`;
  const [wallet, history] = await Promise.all([locals.api.get<Wallet>(`${path}/wallet`), locals.api.get<WalletHistory>(historyUrl)]);
  const w = dataOrError(wallet, locals.locale);
  const h = history.ok || !before ? dataOrError(history, locals.locale) : { movements: [], nextBefore: null };
  return { owner, wallet: w, lots: activeLots(w.lots), movements: h.movements, olderHref: h.nextBefore ? `/portemonnee?eerder=${encodeURIComponent(h.nextBefore)}#geschiedenis` : null, paged: Boolean(before) };
};
