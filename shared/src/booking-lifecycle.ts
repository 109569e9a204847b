/**
 * The lifecycle of a booking, written down once. Every change of a booking's state goes through
 * `nextState`; an action that is not allowed in the current state is refused with the stable
 * code `booking_action_not_allowed` (HTTP 409).
 *
 *   requested ──hold_placed──► ready_to_plan ──assign──► scheduled ──check_in──► in_progress ──finish──► done
 *       │                          ▲   ▲                  │  │                                           │
 *       └──hold_short──► awaiting_payment                 │  └─reschedule / unassign─► ready_to_plan    ├─confirm_hours─► confirmed ──settle──► settled
 *                          (payment_received)─────────────┘                                             └─dispute─► disputed ──resolve_dispute─► confirmed
 *   cancel: from requested, awaiting_payment, ready_to_plan and scheduled → cancelled
 *   reschedule: from awaiting_payment it stays awaiting_payment (a new time, still waiting for cheques)
 */

export const BOOKING_STATES = [
  'requested', 'awaiting_payment', 'ready_to_plan', 'scheduled', 'in_progress', 'done', 'confirmed', 'disputed', 'settled', 'cancelled',
] as const;
export type BookingState = (typeof BOOKING_STATES)[number];

export const BOOKING_ACTIONS = [
  'hold_placed', 'hold_short', 'payment_received', 'assign', 'unassign', 'reschedule', 'check_in', 'finish',
  'confirm_hours', 'dispute', 'resolve_dispute', 'settle', 'cancel',
] as const;
export type BookingAction = (typeof BOOKING_ACTIONS)[number];

/** For each action: the states it may start from, and where it leads (`stays`: from these it keeps its state). */
const TRANSITIONS: Record<BookingAction, { from: readonly BookingState[]; to: BookingState; stays?: readonly BookingState[] }> = {
  // the wallet held the estimated worker-minutes
  hold_placed: { from: ['requested'], to: 'ready_to_plan' },
  // the wallet was short: the booking waits until cheques are bought
  hold_short: { from: ['requested'], to: 'awaiting_payment' },
  payment_received: { from: ['awaiting_payment'], to: 'ready_to_plan' },
  // all workers the job needs are assigned
  assign: { from: ['ready_to_plan'], to: 'scheduled' },
  unassign: { from: ['scheduled'], to: 'ready_to_plan' },
  // a new time: assignments are reconsidered; a booking that waits for payment keeps waiting (it has
  // no hold and no team), at its new time
  reschedule: { from: ['awaiting_payment', 'ready_to_plan', 'scheduled'], to: 'ready_to_plan', stays: ['awaiting_payment'] },
  check_in: { from: ['scheduled'], to: 'in_progress' },
  finish: { from: ['in_progress'], to: 'done' },
  confirm_hours: { from: ['done'], to: 'confirmed' },
  dispute: { from: ['done'], to: 'disputed' },
  resolve_dispute: { from: ['disputed'], to: 'confirmed' },
  settle: { from: ['confirmed'], to: 'settled' },
  cancel: { from: ['requested', 'awaiting_payment', 'ready_to_plan', 'scheduled'], to: 'cancelled' },
};

export class BookingTransitionError extends Error {
  readonly code = 'booking_action_not_allowed';
  constructor(
    readonly state: BookingState,
    readonly action: BookingAction,
  ) {
    super(`a booking that is ${state} cannot take the action ${action}`);
  }
}

export function canTake(state: BookingState, action: BookingAction): boolean {
  return TRANSITIONS[action].from.includes(state);
}

/** The state after `action`, or a BookingTransitionError. */
export function nextState(state: BookingState, action: BookingAction): BookingState {
  if (!canTake(state, action)) throw new BookingTransitionError(state, action);
  const t = TRANSITIONS[action];
  return t.stays?.includes(state) ? state : t.to;
}

/** The actions a booking in `state` can take (for showing only the buttons that work). */
export function actionsFrom(state: BookingState): BookingAction[] {
  return BOOKING_ACTIONS.filter((a) => canTake(state, a));
}

/** States in which a booking is over: nothing can happen to it any more. */
export function isFinal(state: BookingState): boolean {
  return actionsFrom(state).length === 0;
}
