/** Programme settings: each programme may override these defaults. */
export interface ProgrammeSettings {
  /** Hours before a job's start until which a customer reschedules or cancels for free. */
  freeCancellationHours: number;
  /** Months a cheque stays valid after purchase; null for no expiry. */
  chequeValidityMonths: number | null;
  minChequesPerOrder: number;
  maxChequesPerOrder: number;
  /** Optional yearly cap of cheques per household; null for none. */
  yearlyChequeCapPerHousehold: number | null;
  /** Days after which logged hours count as confirmed when the customer does not answer. */
  autoConfirmDays: number;
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
  chequeValidityMonths: 12,
  minChequesPerOrder: 1,
  maxChequesPerOrder: 100,
  yearlyChequeCapPerHousehold: null,
  autoConfirmDays: 5,
  vatRatePercent: 21,
  invoicePaymentDays: 30,
  servicePointAddress: '',
  legalName: '',
  kvkNumber: '',
  vatNumber: '',
  iban: '',
  billingAddress: '',
};

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
