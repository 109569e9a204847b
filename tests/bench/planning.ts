// Issue 4's figures: how fast the dispatcher's suggestions answer, how fast the auto-planner plans
// a week, and how close its plans come to the optimum.
//
//   suggest_p99_ms            GET /bookings/:id/suggestions of one fixed job, 200 extra workers with a
//                             full week scheduled (2 jobs a day each), sequential requests
//   suggest_flexible_p99_ms   the same for a flexible job (window Monday–Friday: the start is chosen too)
//   autoplan_week_ms          the in-memory planner (shared/src/planning) on a week of 500 jobs and 80 workers
//   autoplan_week_http_ms     POST /dispatch/autoplan for a week of 500 ready-to-plan jobs (206 workers)
//   autoplan_quality_ratio    planner objective / exact optimum (HiGHS MIP on the same model), mean and min
//                             over 20 random instances of 8–12 jobs and 5–6 workers
import highsLoader from 'highs';
import { sql } from 'kysely';
import { createDatabase, DEMO_PASSWORD, workers as workersRepo, type Database } from '@buurtservice/db';
import { planning } from '@buurtservice/shared';
import { call } from './http.js';

const SUGGEST_WORKERS = 200;
const SUGGEST_REQUESTS = 400;
const WEEK_JOBS = 500;
const WEEK_WORKERS = 80;
const QUALITY_INSTANCES = 20;
const SKILLS = ['tuin', 'klussen', 'schoonmaak', 'verhuizen', 'woonzorg'];

export interface PlanningFigures {
  suggestP99: number;
  suggestFlexibleP99: number;
  autoplanWeekMs: number;
  autoplanWeekFilled: number;
  autoplanWeekHttpMs: number;
  qualityMean: number;
  qualityMin: number;
}

/** A small deterministic PRNG (mulberry32): the same instances every run. */
export function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

// ── In-memory instances ──────────────────────────────────────────────────────────────────────────

export function instance(seed: number, sizes: { jobs: number; workers: number; days: number; skills: number }, monday: string) {
  const r = random(seed);
  const first = planning.dateToDay(monday);
  const skills = SKILLS.slice(0, sizes.skills);
  const at = (day: number, minute: number) => planning.localInstant(first + day, minute);
  const workers: planning.PlanWorker[] = Array.from({ length: sizes.workers }, (_, i) => {
    const own = new Set([r.pick(skills), r.pick(skills)]);
    const capped = r.next() < 0.2;
    const absentDay = r.next() < 0.1 ? r.int(0, sizes.days - 1) : null;
    return {
      id: `w${i}`, displayName: `Werker ${i}`, active: true,
      contract: capped ? 'benefit' : r.next() < 0.15 ? 'trainee' : 'paid',
      weeklyCapMinutes: capped ? r.pick([8, 12, 16, 24]) * 60 : null,
      homeBuurtId: `b${r.int(0, 5)}`,
      skills: Object.fromEntries([...own].map((s) => [s, r.pick(['learning', 'independent', 'independent', 'lead'] as const)])),
      availability: [1, 2, 3, 4, 5, 6].filter(() => r.next() < 0.85).map((weekday) => ({ weekday, startMinute: r.pick([480, 540]), endMinute: r.pick([960, 1020]) })),
      absences: absentDay === null ? [] : [{ kind: 'sick' as const, start: at(absentDay, 0), end: at(absentDay + 1, 0) }],
      assignments: [],
      monthMinutes: r.int(0, 100) * 60,
      customers: new Set([`household:c${r.int(0, 20)}`]),
    };
  });
  const jobs: planning.PlanJob[] = Array.from({ length: sizes.jobs }, (_, i) => {
    const day = r.int(0, sizes.days - 1);
    const flexible = r.next() < 0.3;
    const durationMinutes = r.pick([60, 90, 120, 180, 240]);
    const needed = r.next();
    return {
      id: `j${i}`, skill: r.pick(skills), customer: `household:c${r.int(0, 20)}`, buurtId: `b${r.int(0, 5)}`, durationMinutes,
      workersNeeded: needed < 0.6 ? 1 : needed < 0.9 ? 2 : 3,
      startsAt: flexible ? null : at(day, r.int(8 * 4, 15 * 4) * 15),
      window: flexible ? { start: planning.dayToDate(first + day), end: planning.dayToDate(first + Math.min(sizes.days - 1, day + r.int(0, 2))) } : null,
      assigned: [],
    };
  });
  return { jobs, workers, from: monday, until: planning.dayToDate(first + 7) };
}

/** The exact optimum of the planner's model (same start options, candidates, scores, rules) as a MIP. */
export function exactOptimum(highs: Awaited<ReturnType<typeof highsLoader>>, model: planning.PlanningModel): number {
  const objective: string[] = [];
  const rows: string[] = [];
  const binaries: string[] = [];
  const byWorker = new Map<number, { v: string; start: number; end: number; weeks: [number, number][] }[]>();
  model.jobs.forEach((m, j) => {
    const ys: string[] = [];
    m.options.forEach((o, k) => {
      const y = `y_${j}_${k}`;
      ys.push(y);
      binaries.push(y);
      const xs: string[] = [];
      const leads: string[] = [];
      for (const c of o.candidates) {
        const x = `x_${j}_${k}_${c.w}`;
        xs.push(x);
        binaries.push(x);
        objective.push(`${planning.SLOT_WEIGHT + c.score} ${x}`);
        rows.push(`${x} - ${y} <= 0`);
        const list = byWorker.get(c.w) ?? [];
        list.push({ v: x, start: o.start, end: o.end, weeks: planning.minutesPerWeek(o.start, o.end) });
        byWorker.set(c.w, list);
        if (m.needsLead && c.lead) {
          const l = `l_${j}_${k}_${c.w}`;
          leads.push(l);
          binaries.push(l);
          rows.push(`${l} - ${x} <= 0`);
        }
      }
      if (xs.length) rows.push(`${xs.join(' + ')} - ${m.open} ${y} <= 0`);
      if (m.needsLead) rows.push(leads.length ? `${leads.join(' + ')} - ${y} = 0` : `${y} = 0`);
    });
    if (ys.length) rows.push(`${ys.join(' + ')} <= 1`);
  });
  for (const [w, list] of byWorker) {
    // one place at a time: at every start, at most one of the jobs running then
    for (const p of new Set(list.map((x) => x.start))) {
      const running = list.filter((x) => x.start <= p && p < x.end).map((x) => x.v);
      if (running.length > 1) rows.push(`${running.join(' + ')} <= 1`);
    }
    const cap = model.workers[w]!.weeklyCapMinutes;
    if (cap !== null) {
      const weeks = new Map<number, string[]>();
      for (const x of list) for (const [week, minutes] of x.weeks) weeks.set(week, [...(weeks.get(week) ?? []), `${minutes} ${x.v}`]);
      for (const [week, terms] of weeks) rows.push(`${terms.join(' + ')} <= ${cap - (model.initialLoads[w]!.weekMinutes.get(week) ?? 0)}`);
    }
  }
  if (objective.length === 0) return 0;
  const lp = `Maximize\n obj: ${objective.join(' + ')}\nSubject To\n${rows.map((r, i) => ` c${i}: ${r}`).join('\n')}\nBinary\n ${binaries.join(' ')}\nEnd\n`;
  const solution = highs.solve(lp, { output_flag: false, mip_rel_gap: 0 });
  if (solution.Status !== 'Optimal') throw new Error(`HiGHS: ${solution.Status}`);
  return Math.round(solution.ObjectiveValue);
}

export async function quality(log: (line: string) => void): Promise<{ mean: number; min: number }> {
  const highs = await highsLoader();
  const ratios: number[] = [];
  for (let i = 0; i < QUALITY_INSTANCES; i++) {
    const r = random(1000 + i);
    const input = instance(1000 + i, { jobs: r.int(8, 12), workers: r.int(5, 6), days: 2, skills: 2 }, '2030-06-03');
    const ctx = { now: 0 };
    const plan = planning.autoplan({ ...input, ctx });
    const optimum = exactOptimum(highs, planning.buildModel({ ...input, ctx }));
    if (plan.objective > optimum) throw new Error(`instance ${i}: the planner (${plan.objective}) beats the "optimum" (${optimum}): the MIP does not match the model`);
    ratios.push(optimum === 0 ? 1 : plan.objective / optimum);
    log(`quality ${i}: ${input.jobs.length} jobs, ${input.workers.length} workers: ${plan.objective} / ${optimum}`);
  }
  return { mean: ratios.reduce((a, b) => a + b, 0) / ratios.length, min: Math.min(...ratios) };
}

function weekInMemory(): { ms: number; filled: number } {
  const input = instance(42, { jobs: WEEK_JOBS, workers: WEEK_WORKERS, days: 6, skills: 5 }, '2030-06-03');
  const times: number[] = [];
  let filled = 0;
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    const plan = planning.autoplan({ ...input, ctx: { now: 0 } });
    times.push(performance.now() - t0);
    filled = plan.filledPlaces / plan.openPlaces;
  }
  return { ms: percentile(times, 50), filled };
}

// ── Through HTTP ─────────────────────────────────────────────────────────────────────────────────

/**
 * Seeds Breda with 200 more garden workers, each with two jobs a day in week A (Monday to Friday,
 * scheduled), the jobs to ask about in week A, and 500 open jobs in week B. Returns their ids.
 */
export async function seed(db: Database, weekA: string, weekB: string): Promise<{ fixed: string; flexible: string }> {
  const p = await db.selectFrom('programmes').select('id').where('slug', '=', 'breda-noordoost').executeTakeFirstOrThrow();
  const dispatcher = await db.selectFrom('users').select('id').where('email', '=', 'coordinator@example.nl').executeTakeFirstOrThrow();
  const household = await db.selectFrom('households').select('id').where('programme_id', '=', p.id).where('name', '=', 'Fam. Jansen').executeTakeFirstOrThrow();
  const buurten = (await db.selectFrom('buurten').select('id').where('programme_id', '=', p.id).execute()).map((b) => b.id);
  const r = random(7);
  const users = await db.insertInto('users')
    .values(Array.from({ length: SUGGEST_WORKERS }, (_, i) => ({ programme_id: p.id, role: 'worker' as const, display_name: `Bench werker ${String(i).padStart(3, '0')}` })))
    .returning('id').execute();
  await db.transaction().execute(async (tx) => {
    for (const [i, u] of users.entries()) {
      const capped = i % 10 === 0;
      await workersRepo.createWorker(tx, { programmeId: p.id, userId: u.id, contract: capped ? 'benefit' : 'paid', weeklyCapMinutes: capped ? 32 * 60 : null, homeBuurtId: r.pick(buurten), startedOn: '2025-01-01' });
      const skills: workersRepo.Skill[] = [{ skill: 'tuin', level: i % 4 === 0 ? 'lead' : 'independent' }, { skill: r.pick(SKILLS), level: 'independent' }];
      await workersRepo.setSkills(tx, p.id, u.id, skills.filter((s, k) => skills.findIndex((x) => x.skill === s.skill) === k));
      await workersRepo.setAvailability(tx, p.id, u.id, [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMinute: 480, endMinute: 1020 })));
    }
  });
  const service = await db.selectFrom('services').select('id').where('programme_id', '=', p.id).where('code', '=', 'tuindienst').executeTakeFirstOrThrow();
  const booking = (startsAt: string | null, window: [string, string] | null, state: 'scheduled' | 'ready_to_plan', minutes: number, workersNeeded = 1) => ({
    programme_id: p.id, household_id: household.id, service_id: service.id, place: 'home' as const,
    starts_at: startsAt === null ? null : sql<Date>`${startsAt}::timestamp at time zone 'Europe/Amsterdam'`,
    window_start: window?.[0] ?? null, window_end: window?.[1] ?? null,
    duration_minutes: minutes, workers_needed: workersNeeded, state, tariff_category: 'resident' as const, cents_per_worker_hour: 1000, created_by: dispatcher.id,
  });
  const day = (monday: string, offset: number) => planning.dayToDate(planning.dateToDay(monday) + offset);
  // Week A: every bench worker 09:00–11:00 and 13:00–16:00, Monday to Friday.
  for (const u of users) {
    const rows = [0, 1, 2, 3, 4].flatMap((d) => [booking(`${day(weekA, d)} 09:00`, null, 'scheduled', 120), booking(`${day(weekA, d)} 13:00`, null, 'scheduled', 180)]);
    const made = await db.insertInto('bookings').values(rows).returning(['id', 'starts_at', 'duration_minutes']).execute();
    await db.insertInto('booking_assignments').values(made.map((b) => ({
      programme_id: p.id, booking_id: b.id, worker_id: u.id, leads: false, assigned_by: dispatcher.id,
      during: sql<string>`tstzrange(${b.starts_at}, ${b.starts_at!}::timestamptz + make_interval(mins => ${b.duration_minutes}), '[)')`,
    }))).execute();
  }
  const [fixed] = await db.insertInto('bookings').values([booking(`${day(weekA, 2)} 11:00`, null, 'ready_to_plan', 120, 2)]).returning('id').execute();
  const [flexible] = await db.insertInto('bookings').values([booking(null, [weekA, day(weekA, 4)], 'ready_to_plan', 120)]).returning('id').execute();
  // Week B: 500 open jobs, 70% at a fixed time, the rest within 1 to 3 days.
  const open = Array.from({ length: WEEK_JOBS }, () => {
    const d = r.int(0, 4);
    const minutes = r.pick([60, 90, 120, 180]);
    const needed = r.next() < 0.75 ? 1 : 2;
    return r.next() < 0.7
      ? booking(`${day(weekB, d)} ${String(r.int(8, 14)).padStart(2, '0')}:${r.pick(['00', '15', '30', '45'])}`, null, 'ready_to_plan', minutes, needed)
      : booking(null, [day(weekB, d), day(weekB, Math.min(4, d + r.int(0, 2)))], 'ready_to_plan', minutes, needed);
  });
  await db.insertInto('bookings').values(open).execute();
  return { fixed: fixed!.id, flexible: flexible!.id };
}

async function latencies(base: string, token: string, url: string, n: number): Promise<number[]> {
  for (let i = 0; i < 30; i++) await call(base, 'GET', url, token);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await call(base, 'GET', url, token);
    out.push(performance.now() - t0);
  }
  return out;
}

/** The figures that need no server: the planner's speed on a week and its quality against the optimum. */
export async function benchPlannerInMemory(log: (line: string) => void) {
  log('planning: exact optima of the small instances (HiGHS)');
  const q = await quality(log);
  log(`planning: a week of ${WEEK_JOBS} jobs and ${WEEK_WORKERS} workers in memory`);
  return { q, week: weekInMemory() };
}

export async function benchPlanning(options: { base: string; databaseUrl: string; log: (line: string) => void }): Promise<PlanningFigures> {
  const { base, log } = options;
  const { q, week } = await benchPlannerInMemory(log);

  // Two and three weeks ahead: flexible jobs are never planned in the past.
  const today = planning.localTime(Date.now()).day;
  const weekA = planning.dayToDate(planning.weekStartDay(today) + 14);
  const weekB = planning.dayToDate(planning.weekStartDay(today) + 21);
  log(`planning: seeding ${SUGGEST_WORKERS} workers with a full week from ${weekA} and ${WEEK_JOBS} open jobs from ${weekB}`);
  const owner = createDatabase({ url: options.databaseUrl, poolSize: 2 });
  let jobs: { fixed: string; flexible: string };
  try {
    jobs = await seed(owner, weekA, weekB);
    await sql`analyze`.execute(owner);
  } finally {
    await owner.destroy();
  }
  const { accessToken } = await call<{ accessToken: string }>(base, 'POST', '/auth/login', null, { email: 'coordinator@example.nl', password: DEMO_PASSWORD });
  const sample = await call<{ suggestions: unknown[] }>(base, 'GET', `/bookings/${jobs.fixed}/suggestions`, accessToken);
  log(`planning: suggestions list ${sample.suggestions.length} workers`);
  const fixed = await latencies(base, accessToken, `/bookings/${jobs.fixed}/suggestions`, SUGGEST_REQUESTS);
  const flexible = await latencies(base, accessToken, `/bookings/${jobs.flexible}/suggestions`, SUGGEST_REQUESTS);

  const httpTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const plan = await call<{ proposals: unknown[]; unplaced: unknown[] }>(base, 'POST', '/dispatch/autoplan', accessToken, { date: weekB, span: 'week' });
    httpTimes.push(performance.now() - t0);
    if (i === 0) log(`planning: HTTP auto-plan: ${plan.proposals.length} proposals, ${plan.unplaced.length} unplaced`);
  }
  return {
    suggestP99: percentile(fixed, 99), suggestFlexibleP99: percentile(flexible, 99),
    autoplanWeekMs: week.ms, autoplanWeekFilled: week.filled, autoplanWeekHttpMs: percentile(httpTimes, 50),
    qualityMean: q.mean, qualityMin: q.min,
  };
}
