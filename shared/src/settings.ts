/** Programme settings: each programme may override these defaults. */
export interface ProgrammeSettings {
  /** Hours before a job's start until which a customer reschedules or cancels for free. */
  freeCancellationHours: number;
  /** Late cancellation (after the free hours): minutes charged per assigned worker, taken from the hold. */
  lateCancellationFeeMinutesPerWorker: number;
  /** Months a cheque stays valid after purchase; null for no expiry. */
  chequeValidityMonths: number | null;
  minChequesPerOrder: number;
  maxChequesPerOrder: number;
  /** Optional yearly cap of cheques per household; null for none. */
  yearlyChequeCapPerHousehold: number | null;
  /** Days after which logged hours count as confirmed when the customer does not answer. */
  autoConfirmDays: number;
  /** A worker's time on a job is rounded up to a multiple of this many minutes (see hours.ts). */
  hoursRoundingMinutes: number;
  /** The least billable minutes per worker per visit; 0 for no minimum. */
  minimumMinutesPerVisit: number;
  vatRatePercent: number;
  /** Days an organisation has to pay an invoice. */
  invoicePaymentDays: number;
  servicePointAddress: string;
  /** The programme as seller on invoices. */
  legalName: string;
  kvkNumber: string;
  vatNumber: string;
  iban: string;
  billingAddress: string;
}

export const DEFAULT_SETTINGS: ProgrammeSettings = {
  freeCancellationHours: 24,
  lateCancellationFeeMinutesPerWorker: 60,
  chequeValidityMonths: 12,
  minChequesPerOrder: 1,
  maxChequesPerOrder: 100,
  yearlyChequeCapPerHousehold: null,
  autoConfirmDays: 5,
  hoursRoundingMinutes: 15,
  minimumMinutesPerVisit: 0,
  vatRatePercent: 21,
  invoicePaymentDays: 30,
  servicePointAddress: '',
  legalName: '',
  kvkNumber: '',
  vatNumber: '',
  iban: '',
  billingAddress: '',
};

/**
 * When cheques bought at `purchasedAt` expire under the programme's validity (null: never).
 * Calendar months, as the Belgian dienstencheque counts its validity: with 12 months, bought on
 * 22 November 2026 → expires 22 November 2027; a day the target month lacks is clamped to its last
 * day (bought 31 May with 1 month → 30 June).
 */
export function chequeExpiresAt(settings: Pick<ProgrammeSettings, 'chequeValidityMonths'>, purchasedAt: Date): Date | null {
  const months = settings.chequeValidityMonths;
  if (months === null) return null;
  const d = new Date(purchasedAt.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d;
}

/** Stored settings merged over the defaults; unknown keys are dropped. */
export function resolveSettings(stored: unknown): ProgrammeSettings {
  const out: ProgrammeSettings = { ...DEFAULT_SETTINGS };
  if (stored && typeof stored === 'object') {
    for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof ProgrammeSettings)[]) {
      const value = (stored as Record<string, unknown>)[key];
      if (value !== undefined && (value === null || typeof value === typeof DEFAULT_SETTINGS[key] || DEFAULT_SETTINGS[key] === null)) {
        (out as unknown as Record<string, unknown>)[key] = value;
      }
    }
  }
  return out;
}
