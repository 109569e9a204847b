import { describe, expect, it } from 'vitest';
import { addDays, amsterdamInstant, formatWhen } from '../components/booking/format';
import { firstOpenStep, parseWizard, readWhen, serialiseWizard, timingOf, type WizardState } from './bookings';

const messages = { kind: 'kind', date: 'date', past: 'past', tooFar: 'tooFar', time: 'time', weekStart: 'weekStart' };

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.set(key, value);
  return data;
}

const base: WizardState = {
  run: 'web-0c8f6c1e-3b0a-4d4e-9d8e-2f1a5b6c7d8e',
  userId: '5f0c6b0e-1d2a-4c3b-8e9f-0a1b2c3d4e5f',
  customer: { kind: 'household', id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' },
  onBehalf: false,
};

describe('amsterdamInstant', () => {
  it('adds the winter and the summer offset', () => {
    expect(amsterdamInstant('2027-03-02', '10:00')).toBe('2027-03-02T10:00:00+01:00');
    expect(amsterdamInstant('2027-07-14', '10:00')).toBe('2027-07-14T10:00:00+02:00');
  });

  it('is right on the days the clock changes', () => {
    // Summer time starts 28 March 2027 at 02:00, ends 31 October 2027 at 03:00.
    expect(amsterdamInstant('2027-03-28', '07:00')).toBe('2027-03-28T07:00:00+02:00');
    expect(amsterdamInstant('2027-10-31', '07:00')).toBe('2027-10-31T07:00:00+01:00');
    expect(new Date(amsterdamInstant('2027-03-28', '07:00')).toISOString()).toBe('2027-03-28T05:00:00.000Z');
  });
});

describe('formatWhen', () => {
  it('says the day, the start and the end in Amsterdam time', () => {
    const text = formatWhen({ startsAt: '2027-03-02T09:00:00Z', windowStart: null, windowEnd: null, durationMinutes: 180 }, 'nl', '2027-01-01', (a, b) => `${a}/${b}`);
    expect(text).toBe('dinsdag 2 maart, 10:00–13:00');
  });

  it('adds the year when it is not this year, and shows a week as its first and last day', () => {
    const text = formatWhen({ startsAt: null, windowStart: '2028-01-03', windowEnd: '2028-01-09', durationMinutes: 60 }, 'nl', '2027-12-01', (a, b) => `tussen ${a} en ${b}`);
    expect(text).toBe('tussen maandag 3 januari 2028 en zondag 9 januari 2028');
  });
});

describe('the wizard cookie', () => {
  it('keeps every answer through a round trip', () => {
    const state: WizardState = {
      ...base,
      serviceId: '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e',
      when: { kind: 'fixed', date: '2027-03-02', time: '10:00' },
      repeat: 'weekly',
      durationMinutes: 180,
      workers: 2,
      notes: 'Hond: Bello. Sleutel bij de buren.',
      contactPhone: '06 12345678',
    };
    expect(parseWizard(serialiseWizard(state))).toEqual(state);
    expect(firstOpenStep(state)).toBe(5);
  });

  it('drops what it did not write, and refuses a state without its run or customer', () => {
    const tampered = Buffer.from(JSON.stringify({ ...base, workers: 99, durationMinutes: 7, when: { kind: 'fixed', date: '2027-02-30', time: '10:00' }, notes: 'x'.repeat(501) })).toString('base64url');
    const parsed = parseWizard(tampered);
    expect(parsed).toEqual(base);
    expect(firstOpenStep(parsed!)).toBe(1);
    expect(parseWizard(Buffer.from(JSON.stringify({ ...base, run: 'anything' })).toString('base64url'))).toBeNull();
    expect(parseWizard(Buffer.from(JSON.stringify({ ...base, customer: { kind: 'worker', id: base.userId } })).toString('base64url'))).toBeNull();
    expect(parseWizard('not base64 json')).toBeNull();
    expect(parseWizard(undefined)).toBeNull();
  });
});

describe('readWhen', () => {
  const today = '2027-03-01';

  it('reads a fixed day and time, or a week of 7 days', () => {
    const fixed = readWhen(form({ kind: 'fixed', date: '2-3-2027', time: '10:00' }), messages, today);
    expect(fixed.when).toEqual({ kind: 'fixed', date: '2027-03-02', time: '10:00' });
    expect(timingOf(fixed.when!)).toEqual({ startsAt: '2027-03-02T10:00:00+01:00' });
    const flexible = readWhen(form({ kind: 'flexible', weekStart: '2027-03-05' }), messages, today);
    expect(timingOf(flexible.when!)).toEqual({ windowStart: '2027-03-05', windowEnd: addDays('2027-03-05', 6) });
    expect(addDays('2027-03-05', 6)).toBe('2027-03-11');
  });

  it('refuses today, the past, more than a year ahead, a time not offered, and no choice', () => {
    expect(readWhen(form({ kind: 'fixed', date: today, time: '10:00' }), messages, today).errors).toEqual({ date: 'past' });
    expect(readWhen(form({ kind: 'fixed', date: '2028-03-03', time: '10:15' }), messages, today).errors).toEqual({ date: 'tooFar', time: 'time' });
    expect(readWhen(form({ kind: 'flexible', weekStart: '31-02-2027' }), messages, today).errors).toEqual({ weekStart: 'weekStart' });
    expect(readWhen(form({}), messages, today).errors).toEqual({ kind: 'kind' });
  });
});
