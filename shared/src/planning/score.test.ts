import { describe, expect, it } from 'vitest';
import { assess, explain, WEIGHTS, WorkerLoad } from './score.js';
import { at, job, worker } from './fixtures.js';

const ctx = { now: 0 };
const j = job('j1', { buurtId: 'b1', customer: 'household:h1' });
const start = j.startsAt!;
const end = start + 120 * 60_000;
const check = (w = worker('w')) => assess(j, start, end, new WorkerLoad(w), ctx);

describe('scoring a worker for a job', () => {
  it('has weights that add up to 100', () => {
    expect(Object.values(WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
  });

  it('refuses a worker on each hard rule, with score 0', () => {
    expect(check(worker('w', { active: false }))).toMatchObject({ eligible: false, blocker: 'inactive', score: 0 });
    expect(check(worker('w', { skills: { klussen: 'lead' } }))).toMatchObject({ eligible: false, blocker: 'skill' });
    expect(check(worker('w', { absences: [{ start: start - 3600_000, end: start + 60_000, kind: 'sick' }] }))).toMatchObject({ eligible: false, blocker: 'absent' });
    expect(check(worker('w', { assignments: [{ bookingId: 'x', start: end - 60_000, end: end + 3600_000 }] }))).toMatchObject({ eligible: false, blocker: 'free' });
    expect(check(worker('w', { contract: 'benefit', weeklyCapMinutes: 180, assignments: [{ bookingId: 'x', start: at('2027-03-02', '09:00'), end: at('2027-03-02', '10:30') }] })))
      .toMatchObject({ eligible: false, blocker: 'weekly_cap' });
    // exactly at the cap is allowed; back-to-back jobs do not overlap
    expect(check(worker('w', { contract: 'benefit', weeklyCapMinutes: 180, assignments: [{ bookingId: 'x', start: end, end: end + 3600_000 }] })))
      .toMatchObject({ eligible: true, blocker: null });
  });

  it('ignores an assignment in another ISO week for the cap', () => {
    const w = worker('w', { contract: 'benefit', weeklyCapMinutes: 180, assignments: [{ bookingId: 'x', start: at('2027-02-26', '09:00'), end: at('2027-02-26', '12:00') }] });
    expect(check(w).eligible).toBe(true);
  });

  it('prefers the same buurt, a known customer, usual hours, trainees and fewer hours', () => {
    const base = check().score;
    expect(check(worker('w', { homeBuurtId: 'b1' })).score).toBe(base + WEIGHTS.buurt);
    expect(check(worker('w', { customers: new Set(['household:h1']) })).score).toBe(base + WEIGHTS.known_customer);
    expect(check(worker('w', { availability: [] })).score).toBe(base - WEIGHTS.available);
    // half of the job in the usual hours: half the weight (up to rounding)
    expect(Math.abs(check(worker('w', { availability: [{ weekday: 1, startMinute: 9 * 60, endMinute: 10 * 60 }] })).score - (base - WEIGHTS.available / 2))).toBeLessThanOrEqual(1);
    expect(check(worker('w', { monthMinutes: 100 * 60 })).score).toBeLessThan(base);
    expect(check(worker('w', { contract: 'trainee', monthMinutes: 100 * 60 })).score).toBeGreaterThan(check(worker('w', { monthMinutes: 100 * 60 })).score);
    expect(check(worker('w', { skills: { tuin: 'lead' } }))).toMatchObject({ canLead: true });
    expect(check(worker('w', { skills: { tuin: 'learning' } })).score).toBeLessThan(base);
  });

  it('counts a bordering buurt half when the data knows the neighbours', () => {
    const w = new WorkerLoad(worker('w', { homeBuurtId: 'b2' }));
    const plain = assess(j, start, end, w, ctx).score;
    const near = assess(j, start, end, w, { now: 0, neighbours: new Map([['b1', new Set(['b2'])]]) }).score;
    expect(near).toBe(plain + WEIGHTS.buurt / 2);
  });

  it('explains with every reason code in Dutch and English', () => {
    const reasons = explain(j, start, end, new WorkerLoad(worker('w', { homeBuurtId: 'b1', contract: 'benefit', weeklyCapMinutes: 600 })), ctx);
    expect(reasons.map((r) => r.code)).toEqual(['skill', 'available', 'free', 'absent', 'weekly_cap', 'buurt', 'known_customer', 'fair_hours']);
    expect(reasons.find((r) => r.code === 'buurt')).toMatchObject({ ok: true, text: { nl: 'Woont in dezelfde buurt' } });
    expect(reasons.find((r) => r.code === 'weekly_cap')!.text.nl).toContain('10 uur');
    const absent = explain(j, start, end, new WorkerLoad(worker('w', { absences: [{ start, end, kind: 'leave' }] })), ctx);
    expect(absent.find((r) => r.code === 'absent')).toMatchObject({ ok: false, text: { nl: 'Is dan met verlof', en: 'Is on leave then' } });
  });
});
