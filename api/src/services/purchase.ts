import { amsterdamDate, chequeExpiresAt, customerCategory, resolveSettings, tariffInForce, type CustomerCategory } from '@buurtservice/shared';
import { catalogue, cityPasses, programmes, wallet, type Executor } from '@buurtservice/db';
import { appError } from '../errors.js';

export interface PurchaseTerms {
  /** The programme row the terms were read from (its name and settings serve receipts and invoices too). */
  programme: Awaited<ReturnType<typeof programmes.getProgramme>>;
  settings: ReturnType<typeof resolveSettings>;
  category: CustomerCategory;
  centsPerHour: number;
  expiresAt: Date | null;
}

/**
 * What a purchase costs and how long it is valid: the buyer's tariff today (the city-pass tariff
 * only with a verified, unexpired pass — read from the database, never from a token), within the
 * programme's order limits and yearly cap.
 */
export async function purchaseTerms(db: Executor, programmeId: string, owner: wallet.Owner, cheques: number, now = new Date()): Promise<PurchaseTerms> {
  const programme = await programmes.getProgramme(db, programmeId);
  const settings = resolveSettings(programme.settings);
  if (cheques < settings.minChequesPerOrder) throw appError('order_too_small', [{ field: '/cheques', code: 'order_too_small' }]);
  if (cheques > settings.maxChequesPerOrder) throw appError('order_too_large', [{ field: '/cheques', code: 'order_too_large' }]);
  const today = amsterdamDate(now);
  let category: CustomerCategory = 'organisation';
  if (owner.householdId) {
    if (settings.yearlyChequeCapPerHousehold !== null) {
      const bought = await wallet.chequesBoughtInYear(db, programmeId, owner, Number(today.slice(0, 4)));
      if (bought + cheques > settings.yearlyChequeCapPerHousehold) throw appError('yearly_cap_reached', [{ field: '/cheques', code: 'yearly_cap_reached' }]);
    }
    const pass = await cityPasses.findCityPass(db, programmeId, owner.householdId);
    category = customerCategory({ kind: 'household', cityPass: pass ? { expiresOn: pass.expires_on, verified: pass.verified_at !== null } : null }, today);
  }
  const tariff = tariffInForce((await catalogue.listTariffs(db, programmeId)).map((t) => ({ category: t.category, centsPerWorkerHour: t.cents_per_worker_hour, validFrom: t.valid_from })), category, today);
  if (!tariff) throw appError('tariff_missing');
  return { programme, settings, category, centsPerHour: tariff.centsPerWorkerHour, expiresAt: chequeExpiresAt(settings, now) };
}

/** 'breda-noordoost' → 'BN': the prefix of a programme's receipt numbers. */
export function receiptPrefix(slug: string): string {
  return slug.split('-').map((part) => part[0]?.toUpperCase() ?? '').join('') || 'BS';
}
