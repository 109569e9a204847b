/**
 * The shapes of the API's answers that the web uses (docs/api-contract.md): what the web reads of
 * them, checked against the API's generated types in contract.ts.
 */
import type { CustomerCategory, Locale, Role } from '@buurtservice/shared';

export interface ProgrammeSummary {
  id: string;
  name: string;
  cityPassName: string;
}

export interface Me {
  id: string;
  role: Role;
  displayName: string;
  email: string | null;
  locale: Locale;
  programme: ProgrammeSummary;
  household: { id: string; name: string; postcode: string; buurt: string | null } | null;
  organisation: { id: string; name: string } | null;
  customerCategory: CustomerCategory | null;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  deviceToken: string;
  user: Me;
}

export type ServiceLocation = 'customer_address' | 'service_point';

export interface Service {
  id: string;
  code: string;
  name: Record<Locale, string>;
  description: Record<Locale, string>;
  location: ServiceLocation;
  defaultDurationMinutes: number;
  minWorkers: number;
  maxWorkers: number;
  requiredSkill: string | null;
  active: boolean;
  centsPerWorkerHour: number | null;
}

export interface Quote {
  category: CustomerCategory;
  centsPerWorkerHour: number;
  workerMinutes: number;
  totalCents: number;
  tariffValidFrom: string;
}

export interface ApiFieldError {
  /** JSON pointer of the field, e.g. "/postcode". */
  field: string;
  code: string;
}

export interface ApiError {
  code: string;
  message: string;
  fields?: ApiFieldError[];
}

export type ApiResult<T> =
  | { ok: true; status: number; data: T; headers: Headers }
  | { ok: false; status: number; error: ApiError; headers: Headers };

// ── The voucher wallet (dienstencheques) ──

/** Every kind of ledger transaction a wallet's history can show. */
export const TRANSACTION_KINDS = ['purchase', 'hold', 'release', 'redeem', 'cancellation_fee', 'refund', 'expire', 'purchase_undo', 'settle_debt'] as const;
export type TransactionKind = (typeof TRANSACTION_KINDS)[number];

export type LotSource = 'online' | 'counter' | 'invoice';

/** One purchase of cheques and what is left of it. */
export interface WalletLot {
  id: string;
  source: LotSource;
  category: string;
  centsPerHour: number;
  minutes: number;
  remainingMinutes: number;
  heldMinutes: number;
  purchasedAt: string;
  expiresAt: string | null;
  reference: string;
}

/** `GET /households/:id/wallet`, `GET /organisations/:id/wallet`. Minutes: 60 = one cheque. */
export interface Wallet {
  balanceMinutes: number;
  balanceCents: number;
  heldMinutes: number;
  heldCents: number;
  owedMinutes: number;
  lots: WalletLot[];
}

export interface WalletMovement {
  transactionId: string;
  /** A `TransactionKind`; typed as string because the API may add kinds before the web knows them. */
  kind: string;
  at: string;
  bookingId: string | null;
  memo: string | null;
  walletMinutes: number;
  heldMinutes: number;
  cents: number;
}

export interface WalletHistory {
  movements: WalletMovement[];
  /** Where the next (older) page starts; null on the last page. */
  nextBefore: string | null;
}

export type PaymentMethod = 'cash' | 'pin';

/** A sale at the counter (`POST /households/:id/counter-sales`, `GET /counter-sales/:id`). */
export interface CounterSale {
  id: string;
  receiptNumber: string;
  householdId: string;
  lotId: string;
  cheques: number;
  cents: number;
  centsPerHour: number;
  category: string;
  paymentMethod: PaymentMethod;
  soldAt: string;
  expiresAt: string | null;
  undoneAt: string | null;
  undoReason: string | null;
}

/** `POST /households/:id/redemptions`: a service paid at the service point from the wallet. */
export interface Redemption {
  transactionId: string;
  minutes: number;
  cents: number;
}

export interface CityPass {
  passNumber: string;
  /** YYYY-MM-DD */
  expiresOn: string;
  verified: boolean;
  verifiedAt: string | null;
  expiresSoon: boolean;
}

/** A household as staff see it (`GET /households`, `GET /households/:id`). */
export interface Household {
  id: string;
  name: string;
  street: string;
  houseNumber: number;
  houseNumberSuffix: string;
  postcode: string;
  city: string;
  buurt: string | null;
  phone: string | null;
}

export interface PaymentOptions {
  online: boolean;
  servicePoint: string;
}

export type PaymentStatus = 'pending' | 'paid' | 'failed' | 'expired';

/** An online purchase through Stripe Checkout. */
export interface Payment {
  id: string;
  status: PaymentStatus;
  cheques: number;
  amountCents: number;
  centsPerHour: number;
  /** Only while pending: where the buyer pays. */
  checkoutUrl: string | null;
  householdId: string | null;
  organisationId: string | null;
}

export interface InvoiceParty {
  name: string;
  address: string;
  kvkNumber: string | null;
  vatNumber: string | null;
  iban: string | null;
}

export type InvoiceStatus = 'open' | 'paid';

export interface Invoice {
  id: string;
  number: string;
  organisationId: string;
  issuedAt: string;
  /** YYYY-MM-DD */
  dueOn: string;
  description: string;
  cheques: number;
  centsPerHour: number;
  netCents: number;
  vatRatePercent: number;
  vatCents: number;
  grossCents: number;
  status: InvoiceStatus;
  paidAt: string | null;
  seller: InvoiceParty;
  buyer: InvoiceParty;
}
