/**
 * The web's API types, checked against the API's own (schema.d.ts, generated from its OpenAPI
 * document by `pnpm api:types`). Each line compiles only when what the route answers can be read as
 * what the web expects, so a field the API renames, drops or widens fails `pnpm typecheck` here,
 * not in front of a resident. A type written for the web from now on is taken from the schema
 * instead (e.g. `Answer<'/dispatch/calls', 'get'>` in routes/planning/bellen/calls.ts).
 */
import type { HoursWeek } from '../../routes/planning/uren/week';
import type { BookingHours, BookingStateRef, CheckIn, TimeEntry, WorkerJob } from '$lib/components/hours/types';
import type {
  Absence, Board, Booking, BookingDetail, CreatedBooking, Plan, PlanAccepted, Series, Suggestions, Worker,
} from './bookings';
import type { CalendarFeedStatus, Experience } from './experience';
import type { paths } from './schema';
import type {
  CityPass, CounterSale, Household, Invoice, Me, Payment, PaymentOptions, Quote, Redemption, Service, Session, Wallet, WalletHistory,
} from './types';

type Json<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The JSON body of a route's success answer (its 201, else its 200). */
export type Answer<P extends keyof paths, M extends Method> = paths[P][M] extends { responses: infer R }
  ? R extends { 201: infer A } ? Json<A> : R extends { 200: infer A } ? Json<A> : never
  : never;

/** Compiles only when the API's `A` can be read as the web's `W`. */
type Reads<A extends W, W> = [A, W];

export type ContractChecks = [
  Reads<Answer<'/me', 'get'>, Me>,
  Reads<Answer<'/auth/login', 'post'>, Session>,
  Reads<Answer<'/auth/register', 'post'>, Session>,
  Reads<Answer<'/services', 'get'>, { services: Service[] }>,
  Reads<Answer<'/quotes', 'post'>, Quote>,
  Reads<Answer<'/households/{householdId}', 'get'>, Household>,
  Reads<Answer<'/households', 'get'>, { households: Household[] }>,
  Reads<Answer<'/households', 'post'>, Household>,
  Reads<Answer<'/households/{householdId}/wallet', 'get'>, Wallet>,
  Reads<Answer<'/organisations/{organisationId}/wallet', 'get'>, Wallet>,
  Reads<Answer<'/households/{householdId}/wallet/history', 'get'>, WalletHistory>,
  Reads<Answer<'/organisations/{organisationId}/wallet/history', 'get'>, WalletHistory>,
  Reads<Answer<'/households/{householdId}/counter-sales', 'post'>, CounterSale>,
  Reads<Answer<'/households/{householdId}/counter-sales', 'get'>, { sales: (CounterSale & { canUndo: boolean })[] }>,
  Reads<Answer<'/counter-sales/{saleId}', 'get'>, CounterSale>,
  Reads<Answer<'/counter-sales/{saleId}/undo', 'post'>, CounterSale>,
  Reads<Answer<'/households/{householdId}/redemptions', 'post'>, Redemption>,
  Reads<Answer<'/households/{householdId}/city-pass', 'get'>, CityPass>,
  Reads<Answer<'/households/{householdId}/city-pass', 'put'>, CityPass>,
  Reads<Answer<'/households/{householdId}/city-pass/verify', 'post'>, CityPass>,
  Reads<Answer<'/payment-options', 'get'>, PaymentOptions>,
  Reads<Answer<'/households/{householdId}/checkout', 'post'>, Payment>,
  Reads<Answer<'/payments/{paymentId}', 'get'>, Payment>,
  Reads<Answer<'/invoices', 'get'>, { invoices: Invoice[] }>,
  Reads<Answer<'/organisations/{organisationId}/invoices', 'get'>, { invoices: Invoice[] }>,
  Reads<Answer<'/organisations/{organisationId}/orders', 'post'>, Invoice>,
  Reads<Answer<'/invoices/{invoiceId}/payment', 'post'>, Invoice>,
  Reads<Answer<'/bookings', 'post'>, CreatedBooking>,
  Reads<Answer<'/bookings/{bookingId}', 'get'>, BookingDetail>,
  Reads<Answer<'/households/{householdId}/bookings', 'get'>, { bookings: Booking[] }>,
  Reads<Answer<'/organisations/{organisationId}/bookings', 'get'>, { bookings: Booking[] }>,
  Reads<Answer<'/bookings/{bookingId}/reschedule', 'post'>, Booking>,
  Reads<Answer<'/bookings/{bookingId}/cancel', 'post'>, { booking: Booking; late: boolean; feeMinutes: number; releasedMinutes: number }>,
  Reads<Answer<'/booking-series', 'post'>, { series: Series; occurrences: Booking[] }>,
  Reads<Answer<'/booking-series/{seriesId}', 'get'>, { series: Series; occurrences: Booking[] }>,
  Reads<Answer<'/booking-series/{seriesId}/cancel', 'post'>, { series: Series; cancelled: string[] }>,
  Reads<Answer<'/workers', 'get'>, { workers: Worker[] }>,
  Reads<Answer<'/workers', 'post'>, Worker>,
  Reads<Answer<'/workers/{workerId}', 'get'>, Worker & { absences: Absence[] }>,
  Reads<Answer<'/workers/{workerId}/absences', 'post'>, Absence>,
  Reads<Answer<'/buurten', 'get'>, { buurten: { id: string; name: string }[] }>,
  Reads<Answer<'/users', 'get'>, { users: { id: string; role: string; displayName: string }[] }>,
  Reads<Answer<'/dispatch/board', 'get'>, Board>,
  Reads<Answer<'/bookings/{bookingId}/suggestions', 'get'>, Suggestions>,
  Reads<Answer<'/bookings/{bookingId}/assignments', 'post'>, Booking>,
  Reads<Answer<'/dispatch/autoplan', 'post'>, Plan>,
  Reads<Answer<'/dispatch/autoplan/accept', 'post'>, PlanAccepted>,
  Reads<Answer<'/me/jobs', 'get'>, { jobs: WorkerJob[] }>,
  Reads<Answer<'/check-ins', 'post'>, { checkIn: CheckIn; booking: BookingStateRef }>,
  Reads<Answer<'/time-entries', 'post'>, { entry: TimeEntry; replayed: boolean; booking: BookingStateRef }>,
  Reads<Answer<'/bookings/{bookingId}/hours', 'get'>, BookingHours>,
  Reads<Answer<'/bookings/{bookingId}/confirm-hours', 'post'>, { hours: BookingHours }>,
  Reads<Answer<'/bookings/{bookingId}/dispute-hours', 'post'>, { hours: BookingHours }>,
  Reads<Answer<'/bookings/{bookingId}/resolve-hours', 'post'>, { hours: BookingHours }>,
  Reads<Answer<'/workers/{workerId}/experience', 'get'>, Experience>,
  Reads<Answer<'/workers/{workerId}/calendar-feed', 'get'>, CalendarFeedStatus>,
  Reads<Answer<'/workers/{workerId}/calendar-feed', 'post'>, { url: string; createdAt: string }>,
  Reads<Answer<'/dispatch/hours-week', 'get'>, HoursWeek>,
];
