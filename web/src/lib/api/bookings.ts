/**
 * The shapes of the booking, worker and dispatch answers the web uses (docs/api-bookings.md),
 * checked against the API's generated types in contract.ts.
 */
import type { CustomerCategory } from '@buurtservice/shared';

export type BookingState =
  | 'requested' | 'awaiting_payment' | 'ready_to_plan' | 'scheduled' | 'in_progress'
  | 'done' | 'confirmed' | 'disputed' | 'settled' | 'cancelled';

export type BookingPlace = 'home' | 'organisation_location' | 'service_point';
export type BookingAction = 'reschedule' | 'cancel' | 'assign' | 'unassign';

export interface BookingAddress {
  locationId: string | null;
  locationName: string | null;
  street: string;
  houseNumber: number;
  houseNumberSuffix: string;
  postcode: string;
  city: string;
  buurtId: string | null;
  buurtName: string | null;
}

export interface BookingAssignment {
  workerId: string;
  workerName: string;
  leads: boolean;
  startsAt: string;
  endsAt: string;
}

export interface Booking {
  id: string;
  state: BookingState;
  service: { id: string; code: string; name: { nl: string; en: string }; requiredSkill: string };
  customer: { kind: 'household' | 'organisation'; id: string; name: string };
  place: BookingPlace;
  address: BookingAddress | null;
  startsAt: string | null;
  windowStart: string | null;
  windowEnd: string | null;
  durationMinutes: number;
  workersNeeded: number;
  notes: string;
  contactPhone: string | null;
  tariff: { category: CustomerCategory; centsPerWorkerHour: number };
  priceCents: number;
  workerMinutes: number;
  seriesId: string | null;
  onBehalf: boolean;
  createdAt: string;
  freeChangeUntil: string | null;
  assignments: BookingAssignment[];
  actions: BookingAction[];
}

export interface BookingEvent {
  action: string;
  from: BookingState;
  to: BookingState;
  actorName: string | null;
  reason: string | null;
  at: string;
}

export interface BookingDetail extends Booking {
  events: BookingEvent[];
}

export type HoldOutcome = { status: 'held'; minutes: number } | { status: 'short'; neededMinutes: number; availableMinutes: number };

export interface CreatedBooking {
  booking: Booking;
  hold: HoldOutcome;
}

export type Frequency = 'weekly' | 'every_2_weeks' | 'every_4_weeks';

export interface Series {
  id: string;
  rule: string;
  frequency: Frequency;
  startsAt: string;
  until: string | null;
  endedAt: string | null;
  serviceId: string;
  customer: { kind: 'household' | 'organisation'; id: string; name: string };
  durationMinutes: number;
  workersNeeded: number;
}

export type WorkerContract = 'paid' | 'volunteer' | 'benefit' | 'trainee';
export type SkillLevel = 'learning' | 'independent' | 'lead';

export interface Skill {
  skill: string;
  level: SkillLevel;
}

export interface AvailabilitySlot {
  weekday: number;
  startMinute: number;
  endMinute: number;
}

export interface Absence {
  id: string;
  workerId: string;
  kind: 'leave' | 'sick' | 'other';
  startsAt: string;
  endsAt: string;
  note: string | null;
}

export interface Worker {
  id: string;
  displayName: string;
  email: string | null;
  phone: string | null;
  contract: WorkerContract;
  weeklyCapMinutes: number | null;
  homeBuurtId: string | null;
  homeBuurtName: string | null;
  coachId: string | null;
  coachName: string | null;
  startedOn: string;
  active: boolean;
  skills: Skill[];
  availability: AvailabilitySlot[];
}

export interface BoardWorker {
  id: string;
  displayName: string;
  contract: WorkerContract;
  weeklyCapMinutes: number | null;
  assignedMinutes: number;
  skills: Skill[];
  homeBuurtName: string | null;
  schedule: { bookingId: string; startsAt: string; endsAt: string; leads: boolean }[];
  absences: { kind: string; startsAt: string; endsAt: string }[];
  availability: AvailabilitySlot[];
}

export interface Board {
  from: string;
  until: string;
  bookings: Booking[];
  workers: BoardWorker[];
}

export interface SuggestionReason {
  code: 'skill' | 'available' | 'free' | 'weekly_cap' | 'buurt' | 'known_customer' | 'fair_hours' | 'absent';
  ok: boolean;
  text: { nl: string; en: string };
}

export interface Suggestion {
  workerId: string;
  displayName: string;
  score: number;
  eligible: boolean;
  canLead: boolean;
  reasons: SuggestionReason[];
}

export interface Suggestions {
  startsAt: string;
  suggestions: Suggestion[];
}

export interface PlanProposal {
  bookingId: string;
  startsAt: string;
  workers: { workerId: string; displayName: string; leads: boolean }[];
  score: number;
  reasons: string[];
}

export interface Plan {
  proposals: PlanProposal[];
  unplaced: { bookingId: string; reasons: { code: string; text: { nl: string; en: string } }[] }[];
  objective: number;
}

export interface PlanAccepted {
  applied: string[];
  failed: { bookingId: string; code: string; message: string }[];
}
