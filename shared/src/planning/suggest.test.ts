import { describe, expect, it } from 'vitest';
import { chooseStart, startOptions, suggest } from './suggest.js';
import { WorkerLoad } from './score.js';
import { at, job, worker } from './fixtures.js';
import { localTime } from './time.js';

describe('suggestions for one job', () => {
  it('ranks eligible workers first, by score, each with its reasons', () => {
    const j = job('j', { buurtId: 'b1' });
    const { startsAt, suggestions } = suggest(j, [
      worker('far'), worker('near', { homeBuurtId: 'b1' }), worker('noskill', { skills: {} }), worker('busy', { homeBuurtId: 'b1', assignments: [{ bookingId: 'x', start: j.startsAt!, end: j.startsAt! + 60_000 }] }),
    ], { now: 0 });
    expect(startsAt).toBe(j.startsAt);
    expect(suggestions.map((s) => s.workerId)).toEqual(['near', 'far', 'busy', 'noskill']);
    expect(suggestions[0]!.reasons).toHaveLength(8);
    expect(suggestions[2]).toMatchObject({ eligible: false, score: 0 });
    expect(suggestions[2]!.reasons.find((r) => r.code === 'free')!.ok).toBe(false);
  });

  it('leaves out workers already on the job and keeps the team start', () => {
    const j = job('j', { startsAt: null, window: { start: '2027-03-01', end: '2027-03-03' }, workersNeeded: 2, assigned: [{ workerId: 'a', leads: true, startsAt: at('2027-03-02', '13:00') }] });
    const out = suggest(j, [worker('a'), worker('b')], { now: 0 });
    expect(out.startsAt).toBe(at('2027-03-02', '13:00'));
    expect(out.suggestions.map((s) => s.workerId)).toEqual(['b']);
  });

  it('picks the earliest quarter hour where the most skilled workers are free for a flexible job', () => {
    const j = job('j', { startsAt: null, window: { start: '2027-03-01', end: '2027-03-02' }, durationMinutes: 60 });
    const busyMonday = { bookingId: 'x', start: at('2027-03-01', '08:00'), end: at('2027-03-01', '10:15') };
    const loads = [worker('a', { assignments: [busyMonday] }), worker('b'), worker('c', { availability: [{ weekday: 1, startMinute: 9 * 60, endMinute: 17 * 60 }] })].map((w) => new WorkerLoad(w));
    expect(chooseStart(j, loads, { now: 0 })).toBe(at('2027-03-01', '10:15'));
    // nothing before now
    expect(chooseStart(j, loads, { now: at('2027-03-01', '12:00') })).toBe(at('2027-03-01', '12:00'));
    const options = startOptions(j, 0);
    expect(options).toHaveLength(2 * 33);
    expect(options.every((o) => localTime(o).minute % 15 === 0)).toBe(true);
  });
});
