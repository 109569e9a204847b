import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { autoplan, SLOT_WEIGHT, type AutoplanResult } from './autoplan.js';
import { at, instance, job, WEEK, worker } from './fixtures.js';
import { minutesPerWeek } from './time.js';
import type { PlanJob, PlanWorker } from './types.js';

const run = (jobs: PlanJob[], workers: PlanWorker[], extra: { construction?: 'only' } = {}) =>
  autoplan({ jobs, workers, from: WEEK.from, until: WEEK.until, ctx: { now: 0 }, ...extra });

/** Every hard rule, checked on the plan from the outside. */
function checkPlan(jobs: readonly PlanJob[], workers: readonly PlanWorker[], plan: AutoplanResult): void {
  const byId = new Map(workers.map((w) => [w.id, w]));
  const jobById = new Map(jobs.map((j) => [j.id, j]));
  const busy = new Map(workers.map((w) => [w.id, w.assignments.map((a) => ({ start: a.start, end: a.end }))]));
  for (const p of plan.proposals) {
    const j = jobById.get(p.bookingId)!;
    const end = p.startsAt + j.durationMinutes * 60_000;
    // pinned: kept, never proposed again, and the team's start is theirs
    for (const a of j.assigned) {
      expect(p.workers.some((w) => w.workerId === a.workerId)).toBe(false);
      expect(p.startsAt).toBe(a.startsAt);
    }
    if (j.startsAt !== null) expect(p.startsAt).toBe(j.startsAt);
    expect(p.workers.length).toBeLessThanOrEqual(j.workersNeeded - j.assigned.length);
    expect(new Set(p.workers.map((w) => w.workerId)).size).toBe(p.workers.length);
    const leads = p.workers.filter((w) => w.leads).length + j.assigned.filter((a) => a.leads).length;
    if (j.workersNeeded > 1) expect(leads).toBe(1);
    for (const pw of p.workers) {
      const w = byId.get(pw.workerId)!;
      expect(w.skills[j.skill]).toBeDefined();
      if (pw.leads) expect(w.skills[j.skill]).toBe('lead');
      expect(w.absences.some((a) => a.start < end && a.end > p.startsAt)).toBe(false);
      busy.get(w.id)!.push({ start: p.startsAt, end });
    }
  }
  for (const w of workers) {
    const intervals = busy.get(w.id)!.sort((a, b) => a.start - b.start);
    for (let i = 1; i < intervals.length; i++) expect(intervals[i]!.start).toBeGreaterThanOrEqual(intervals[i - 1]!.end);
    if (w.weeklyCapMinutes !== null) {
      const perWeek = new Map<number, number>();
      for (const iv of intervals) for (const [week, m] of minutesPerWeek(iv.start, iv.end)) perWeek.set(week, (perWeek.get(week) ?? 0) + m);
      const initial = new Map<number, number>();
      for (const a of w.assignments) for (const [week, m] of minutesPerWeek(a.start, a.end)) initial.set(week, (initial.get(week) ?? 0) + m);
      // the plan never takes a worker over the cap (one who was over before gets nothing more)
      for (const [week, m] of perWeek) if (m > (initial.get(week) ?? 0)) expect(m).toBeLessThanOrEqual(w.weeklyCapMinutes);
    }
  }
}

describe('auto-plan', () => {
  it('is not first-fit: gives the only worker who can do a job to that job', () => {
    // Ann can do garden and odd jobs, Bob only the garden; both jobs at the same time.
    const jobs = [job('tuin'), job('klus', { skill: 'klussen' })];
    const workers = [worker('ann', { skills: { tuin: 'lead', klussen: 'independent' }, homeBuurtId: 'b1' }), worker('bob')];
    const plan = run(jobs, workers);
    expect(plan.unplaced).toEqual([]);
    expect(Object.fromEntries(plan.proposals.map((p) => [p.bookingId, p.workers.map((w) => w.workerId)]))).toEqual({ tuin: ['bob'], klus: ['ann'] });
    expect(plan.objective).toBe(2 * SLOT_WEIGHT + plan.proposals.reduce((s, p) => s + p.workers[0]!.score, 0));
  });

  it('plans the hardest job first instead of giving the best worker to the first job', () => {
    // A first-fit planner gives 'easy' (first, Ann scores best there) to Ann and leaves 'hard'
    // empty: Bob is busy then. Only Ann can do 'hard'.
    const jobs = [job('easy', { startsAt: at('2027-03-01', '09:00'), buurtId: 'b1' }), job('hard', { startsAt: at('2027-03-01', '10:00') })];
    const workers = [
      worker('ann', { homeBuurtId: 'b1' }),
      worker('bob', { assignments: [{ bookingId: 'x', start: at('2027-03-01', '11:00'), end: at('2027-03-01', '13:00') }] }),
    ];
    const plan = run(jobs, workers);
    expect(plan.filledPlaces).toBe(2);
    expect(plan.unplaced).toEqual([]);
    expect(plan.proposals.find((p) => p.bookingId === 'hard')!.workers[0]!.workerId).toBe('ann');
  });

  it('builds a team with one leader and keeps what the dispatcher assigned', () => {
    const jobs = [
      job('team', { workersNeeded: 3 }),
      job('pinned', { workersNeeded: 2, startsAt: at('2027-03-02', '09:00'), assigned: [{ workerId: 'lea', leads: true, startsAt: at('2027-03-02', '09:00') }] }),
    ];
    const workers = [worker('lea', { skills: { tuin: 'lead' } }), worker('b'), worker('c'), worker('d')];
    const plan = run(jobs, workers);
    const team = plan.proposals.find((p) => p.bookingId === 'team')!;
    expect(team.workers).toHaveLength(3);
    expect(team.workers[0]).toMatchObject({ workerId: 'lea', leads: true });
    const pinned = plan.proposals.find((p) => p.bookingId === 'pinned')!;
    expect(pinned.workers).toHaveLength(1);
    expect(pinned.workers[0]!.leads).toBe(false);
    checkPlan(jobs, workers, plan);
  });

  it('explains a job it cannot place', () => {
    const jobs = [job('nobody', { skill: 'verhuizen' }), job('noleader', { workersNeeded: 2 }), job('busy', { startsAt: at('2027-03-03', '09:00') })];
    const workers = [worker('a', { absences: [{ start: at('2027-03-03', '00:00'), end: at('2027-03-04', '00:00'), kind: 'sick' }] }), worker('b', { assignments: [{ bookingId: 'x', start: at('2027-03-03', '08:00'), end: at('2027-03-03', '12:00') }] })];
    const plan = run(jobs, workers);
    const codes = Object.fromEntries(plan.unplaced.map((u) => [u.bookingId, u.reasons.map((r) => r.code)]));
    expect(codes).toEqual({ nobody: ['skill'], noleader: ['lead'], busy: ['free', 'absent'] });
    expect(plan.unplaced[2]!.reasons[0]!.text).toEqual({ nl: '1 medewerker heeft dan al een klus', en: '1 worker already has a job then' });
  });

  it('chooses a start inside a flexible window, after now', () => {
    const jobs = [job('flex', { startsAt: null, window: { start: '2027-03-01', end: '2027-03-02' } })];
    const workers = [worker('a', { absences: [{ start: at('2027-03-01', '00:00'), end: at('2027-03-02', '00:00'), kind: 'leave' }] })];
    const plan = autoplan({ jobs, workers, from: WEEK.from, until: WEEK.until, ctx: { now: at('2027-03-02', '10:30') } });
    expect(plan.proposals[0]!.startsAt).toBe(at('2027-03-02', '11:00'));
  });

  it('stops improving at the time limit and answers with the plan so far', () => {
    const jobs = [job('a', { workersNeeded: 2 }), job('b', { startsAt: at('2027-03-01', '09:30') }), job('c', { skill: 'klussen' })];
    const workers = [worker('ann', { skills: { tuin: 'lead', klussen: 'lead' } }), worker('bob'), worker('cas', { skills: { tuin: 'lead' } })];
    const limited = autoplan({ jobs, workers, from: WEEK.from, until: WEEK.until, ctx: { now: 0 }, timeLimitMs: 0 });
    expect(limited.stats.moves).toBe(0);
    expect(limited).toEqual(run(jobs, workers, { construction: 'only' }));
    checkPlan(jobs, workers, limited);
  });

  it('explains a job whose only skilled worker is already on it: too few with the skill', () => {
    // found by the property below (seed -2040339019): three places, one pinned, nobody else can do it
    const start = at('2027-03-01', '09:00');
    const jobs = [job('j0', { skill: 'klussen', workersNeeded: 3, durationMinutes: 60, startsAt: start, assigned: [{ workerId: 'w1', leads: true, startsAt: start }] })];
    const workers = [worker('w0', { skills: { tuin: 'learning' } }), worker('w1', { skills: { klussen: 'lead' } })];
    const plan = run(jobs, workers);
    expect(plan.proposals).toEqual([]);
    expect(plan.unplaced).toEqual([{ bookingId: 'j0', reasons: [expect.objectContaining({ code: 'skill' })] }]);
  });

  it('keeps every hard rule on random instances, and gives the same plan twice', () => {
    fc.assert(fc.property(instance(), fc.array(fc.nat(), { maxLength: 3 }), ({ jobs, workers }, pins) => {
      // pin a few jobs' first places to a worker who could take them
      const pinnedJobs = jobs.map((j, i) => {
        const pick = pins.find((p) => p % Math.max(1, jobs.length) === i);
        const w = pick === undefined ? undefined : workers.find((x) => x.skills[j.skill] === 'lead' && x.assignments.length === 0 && x.absences.length === 0 && x.weeklyCapMinutes === null);
        if (!w || j.startsAt === null) return j;
        return { ...j, assigned: [{ workerId: w.id, leads: j.workersNeeded > 1, startsAt: j.startsAt }] };
      });
      const withPins = workers.map((w) => ({
        ...w,
        assignments: [...w.assignments, ...pinnedJobs.flatMap((j) => j.assigned.filter((a) => a.workerId === w.id).map((a) => ({ bookingId: j.id, start: a.startsAt, end: a.startsAt + j.durationMinutes * 60_000 })))],
      }));
      // a pin may collide with the worker's own other job in these random data: skip those
      for (const w of withPins) {
        const s = [...w.assignments].sort((a, b) => a.start - b.start);
        for (let i = 1; i < s.length; i++) if (s[i]!.start < s[i - 1]!.end) return;
      }
      const plan = run(pinnedJobs, withPins);
      checkPlan(pinnedJobs, withPins, plan);
      expect(run(pinnedJobs, withPins)).toEqual(plan);
      // the improvement phase never makes it worse than the construction alone
      expect(plan.objective).toBeGreaterThanOrEqual(run(pinnedJobs, withPins, { construction: 'only' }).objective);
      // every job with an open place left is explained
      for (const j of pinnedJobs) {
        const filled = plan.proposals.find((p) => p.bookingId === j.id)?.workers.length ?? 0;
        if (filled < j.workersNeeded - j.assigned.length) expect(plan.unplaced.find((u) => u.bookingId === j.id)?.reasons.length).toBeGreaterThan(0);
      }
    }), { numRuns: 150 });
  });
});
