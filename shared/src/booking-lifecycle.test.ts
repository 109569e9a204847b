import { describe, expect, it } from 'vitest';
import { actionsFrom, BOOKING_ACTIONS, BOOKING_STATES, BookingTransitionError, isFinal, nextState, type BookingAction, type BookingState } from './booking-lifecycle.js';

// The expected lifecycle, written out independently of the implementation's table: every state ×
// every action, '·' where the action must be refused.
const EXPECTED: Record<BookingState, Partial<Record<BookingAction, BookingState>>> = {
  requested: { hold_placed: 'ready_to_plan', hold_short: 'awaiting_payment', cancel: 'cancelled' },
  awaiting_payment: { payment_received: 'ready_to_plan', reschedule: 'awaiting_payment', cancel: 'cancelled' },
  ready_to_plan: { assign: 'scheduled', reschedule: 'ready_to_plan', cancel: 'cancelled' },
  scheduled: { unassign: 'ready_to_plan', reschedule: 'ready_to_plan', check_in: 'in_progress', cancel: 'cancelled' },
  in_progress: { finish: 'done' },
  done: { confirm_hours: 'confirmed', dispute: 'disputed' },
  confirmed: { settle: 'settled' },
  disputed: { resolve_dispute: 'confirmed' },
  settled: {},
  cancelled: {},
};

describe('booking lifecycle', () => {
  for (const state of BOOKING_STATES) {
    for (const action of BOOKING_ACTIONS) {
      const target = EXPECTED[state][action];
      it(`${state} × ${action} → ${target ?? 'refused'}`, () => {
        if (target) {
          expect(nextState(state, action)).toBe(target);
        } else {
          expect(() => nextState(state, action)).toThrow(BookingTransitionError);
          try {
            nextState(state, action);
          } catch (err) {
            expect((err as BookingTransitionError).code).toBe('booking_action_not_allowed');
          }
        }
      });
    }
  }

  it('lists exactly the allowed actions per state', () => {
    for (const state of BOOKING_STATES) expect(actionsFrom(state).sort()).toEqual(Object.keys(EXPECTED[state]).sort());
  });

  it('ends only in settled or cancelled, and every state is reachable from requested', () => {
    expect(BOOKING_STATES.filter(isFinal)).toEqual(['settled', 'cancelled']);
    const seen = new Set<BookingState>(['requested']);
    const queue: BookingState[] = ['requested'];
    while (queue.length) {
      const s = queue.shift()!;
      for (const a of actionsFrom(s)) {
        const t = nextState(s, a);
        if (!seen.has(t)) { seen.add(t); queue.push(t); }
      }
    }
    expect([...seen].sort()).toEqual([...BOOKING_STATES].sort());
  });
});
