import fc from 'fast-check';
import { localInstant, dateToDay } from './time.js';
import type { PlanJob, PlanWorker, SkillLevel } from './types.js';

/** Test data for the planner's unit tests and the benchmark (not exported from the package). */

export const WEEK = { from: '2027-03-01', until: '2027-03-08' } as const; // Monday to Monday
export const at = (date: string, hhmm: string) => localInstant(dateToDay(date), Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5)));

export function worker(id: string, over: Partial<PlanWorker> = {}): PlanWorker {
  return {
    id, displayName: `Werker ${id}`, active: true, contract: 'paid', weeklyCapMinutes: null, homeBuurtId: null,
    skills: { tuin: 'independent' },
    availability: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMinute: 8 * 60, endMinute: 17 * 60 })),
    absences: [], assignments: [], monthMinutes: 0, customers: new Set(), ...over,
  };
}

export function job(id: string, over: Partial<PlanJob> = {}): PlanJob {
  return {
    id, skill: 'tuin', customer: `household:${id}`, buurtId: null, durationMinutes: 120, workersNeeded: 1,
    startsAt: at('2027-03-01', '09:00'), window: null, assigned: [], ...over,
  };
}

const LEVELS: SkillLevel[] = ['learning', 'independent', 'lead'];
const SKILLS = ['tuin', 'klussen'];
const BUURTEN = ['b1', 'b2', 'b3'];
const DAYS = ['2027-03-01', '2027-03-02', '2027-03-03'];

/** A random small instance: a few workers and jobs over three days of one week. */
export const instance = (sizes: { workers: [number, number]; jobs: [number, number] } = { workers: [2, 6], jobs: [1, 10] }) => fc
  .record({
    workers: fc.array(fc.record({
      skills: fc.subarray(SKILLS, { minLength: 1 }),
      level: fc.constantFrom(...LEVELS),
      cap: fc.option(fc.constantFrom(120, 240, 360), { nil: null }),
      buurt: fc.constantFrom(...BUURTEN),
      trainee: fc.boolean(),
      absentDay: fc.option(fc.constantFrom(...DAYS), { nil: null }),
      busy: fc.option(fc.record({ day: fc.constantFrom(...DAYS), hour: fc.integer({ min: 8, max: 15 }) }), { nil: null }),
      monthHours: fc.integer({ min: 0, max: 120 }),
    }), { minLength: sizes.workers[0], maxLength: sizes.workers[1] }),
    jobs: fc.array(fc.record({
      skill: fc.constantFrom(...SKILLS),
      day: fc.constantFrom(...DAYS),
      hour: fc.integer({ min: 8, max: 15 }),
      duration: fc.constantFrom(60, 120, 180),
      needed: fc.constantFrom(1, 1, 2, 3),
      flexible: fc.boolean(),
      buurt: fc.constantFrom(...BUURTEN),
      customer: fc.integer({ min: 0, max: 3 }),
    }), { minLength: sizes.jobs[0], maxLength: sizes.jobs[1] }),
  })
  .map(({ workers, jobs }) => ({
    workers: workers.map((w, i) => worker(`w${i}`, {
      contract: w.cap !== null ? 'benefit' : w.trainee ? 'trainee' : 'paid',
      weeklyCapMinutes: w.cap,
      homeBuurtId: w.buurt,
      skills: Object.fromEntries(w.skills.map((s) => [s, w.level])),
      absences: w.absentDay ? [{ start: at(w.absentDay, '00:00'), end: at(w.absentDay, '23:59'), kind: 'sick' as const }] : [],
      assignments: w.busy ? [{ bookingId: `other${i}`, start: at(w.busy.day, `${String(w.busy.hour).padStart(2, '0')}:00`), end: at(w.busy.day, `${String(w.busy.hour + 2).padStart(2, '0')}:00`) }] : [],
      monthMinutes: w.monthHours * 60,
      customers: new Set([`household:c${i % 4}`]),
    })),
    jobs: jobs.map((j, i) => job(`j${i}`, {
      skill: j.skill, durationMinutes: j.duration, workersNeeded: j.needed, buurtId: j.buurt, customer: `household:c${j.customer}`,
      ...(j.flexible
        ? { startsAt: null, window: { start: j.day, end: DAYS[Math.min(DAYS.length - 1, DAYS.indexOf(j.day) + 1)]! } }
        : { startsAt: at(j.day, `${String(j.hour).padStart(2, '0')}:00`) }),
    })),
  }));
