import { assess, WorkerLoad, type Assessment } from './score.js';
import { startOptions } from './suggest.js';
import { localTime, minutesPerWeek, MINUTE_MS, weekBounds, weekStartDay } from './time.js';
import type { LocalizedText, PlanJob, PlanWorker, PlanningContext } from './types.js';

/**
 * The auto-planner: fills the open places of a day's or week's jobs with workers, as a proposal.
 *
 * Objective (maximised): SLOT_WEIGHT for every place filled plus the suggestion score (0..100,
 * `assess`) of every worker placed. SLOT_WEIGHT is twice the best score, so one more filled place
 * is worth more than any better-scoring team for the same places. The scores are those of the
 * planning's starting point (the fair-share criterion reads the hours worked before this plan),
 * which keeps the objective a plain sum the exact solver of the benchmark can optimise too.
 *
 * Hard rules, as the database keeps them: a worker has the skill, is active, is not absent, works
 * in one place at a time (existing assignments and the plan's own), stays within the weekly cap of
 * a benefit; a team of two or more includes one worker who leads (level `lead`), unless an
 * assignment already made leads. Assignments already made are pinned: kept, and only the open
 * places are filled (a job with a worker already has its start).
 *
 * Algorithm (deterministic: every order is fixed and ties go to the lower index):
 *  1. Model: per job its start options (a fixed start; a flexible job every `startStep` minutes,
 *     08:00–17:00, on the days of its window inside the horizon and not in the past) and per
 *     option the eligible workers with their scores.
 *  2. Construction: jobs by difficulty (fewest eligible workers per open place first, then by
 *     start); each gets its best team over its options, chosen exactly for the job alone: the
 *     open places go to the best-scoring free workers, and when a leader is needed the best team
 *     with one (the best leader among them, else the best free leader plus the best others).
 *  3. Improvement (local search, first improvement, until a round finds nothing or the move
 *     budget is spent): re-plan one job alone (another start or team); for a job with an open
 *     place, free a worker it needs from the planned jobs in the way (time or weekly cap) and
 *     re-plan them after it (an ejection chain of depth one); re-plan each pair of jobs that
 *     compete for a worker in both orders (covers swaps). A move is kept only when the objective
 *     strictly grows, so the search ends.
 *
 * Speed (a week of 500 jobs, 80 workers: about 0.1 s): each job's `ideal` (its best team with only
 * the assignments already made in the way) bounds what a re-plan can give it, so a move stops as
 * soon as it cannot gain any more, and the best-team search skips the options and candidates
 * that cannot reach what the move needs. These cuts never change the outcome of a move: the
 * plans are those of the plain search. The workers' time is a sorted list of busy stretches per
 * worker, shared by a team's members.
 */

export const SLOT_WEIGHT = 200;
/** Start step of flexible jobs in the auto-planner (minutes); the suggestions use quarter hours. */
export const AUTOPLAN_START_STEP = 60;
const DEFAULT_MAX_MOVES = 30_000;
const MAX_ROUNDS = 25;
/** at most this many competing jobs are re-planned with a job that has an open place */
const RECREATE_LIMIT = 40;

export interface AutoplanInput {
  jobs: readonly PlanJob[];
  workers: readonly PlanWorker[];
  /** the horizon: local dates, `from` included, `until` excluded */
  from: string;
  until: string;
  ctx: PlanningContext;
  startStep?: number;
  /** budget of re-plans in the improvement phase (keeps the run time bounded, deterministically) */
  maxMoves?: number;
  /**
   * Wall-clock cap of the whole run (ms): the improvement stops once it is reached, and the plan
   * so far is the answer. A safety net for a live request; the result then depends on the
   * machine's speed, so tests leave it out and rely on `maxMoves`.
   */
  timeLimitMs?: number;
  /** skip the improvement phase (for comparison) */
  construction?: 'only';
}

export interface Proposal {
  bookingId: string;
  startsAt: number;
  workers: { workerId: string; displayName: string; leads: boolean; score: number }[];
  /** mean score of the workers proposed */
  score: number;
  /** the soft criteria the team meets (reason codes), and `team_incomplete` when places stay open */
  reasons: string[];
}

export type UnplacedCode = 'skill' | 'lead' | 'absent' | 'free' | 'weekly_cap' | 'planned' | 'unavailable' | 'team_incomplete' | 'no_time';

export interface Unplaced {
  bookingId: string;
  reasons: { code: UnplacedCode; text: LocalizedText }[];
}

export interface AutoplanResult {
  proposals: Proposal[];
  unplaced: Unplaced[];
  objective: number;
  filledPlaces: number;
  openPlaces: number;
  stats: { moves: number; improvements: number; rounds: number };
}

// ── The model ────────────────────────────────────────────────────────────────────────────────────

export interface Candidate {
  /** index into the workers */
  w: number;
  score: number;
  lead: boolean;
  good: Assessment['good'];
}

export interface StartOption {
  start: number;
  end: number;
  /** minutes per ISO week (for the cap) */
  weeks: readonly (readonly [number, number])[];
  /** eligible at the start of planning, best score first (ties: lower worker index) */
  candidates: Candidate[];
}

export interface JobModel {
  job: PlanJob;
  /** places to fill */
  open: number;
  needsLead: boolean;
  options: StartOption[];
}

export interface PlanningModel {
  jobs: JobModel[];
  workers: readonly PlanWorker[];
  /** the workers' time before the plan (existing assignments) */
  initialLoads: WorkerLoad[];
  ctx: PlanningContext;
}

/** Jobs, start options and eligible workers with their scores: what both the planner and an exact solver optimise. */
export function buildModel(input: AutoplanInput): PlanningModel {
  const { ctx } = input;
  const initialLoads = input.workers.map((w) => new WorkerLoad(w));
  const jobs: JobModel[] = input.jobs.map((job) => {
    const pinned = new Set(job.assigned.map((a) => a.workerId));
    const open = Math.max(0, job.workersNeeded - job.assigned.length);
    const needsLead = job.workersNeeded > 1 && !job.assigned.some((a) => a.leads);
    const starts = open === 0 ? [] : startOptions(job, ctx.now, { step: input.startStep ?? AUTOPLAN_START_STEP, days: { from: input.from, until: input.until } });
    const span = job.durationMinutes * MINUTE_MS;
    const skilled: number[] = [];
    input.workers.forEach((worker, w) => {
      if (!pinned.has(worker.id) && worker.skills[job.skill] !== undefined) skilled.push(w);
    });
    const options = starts.map((start) => {
      const end = start + span;
      const candidates: Candidate[] = [];
      for (const w of skilled) {
        const a = assess(job, start, end, initialLoads[w]!, ctx);
        if (a.eligible) candidates.push({ w, score: a.score, lead: a.canLead, good: a.good });
      }
      candidates.sort((x, y) => y.score - x.score || x.w - y.w);
      return { start, end, weeks: minutesPerWeek(start, end), candidates };
    });
    return { job, open, needsLead, options };
  });
  return { jobs, workers: input.workers, initialLoads, ctx };
}

// ── Workers' time while planning ─────────────────────────────────────────────────────────────────

/** A stretch of a worker's time: one of the plan's jobs (index), or -1 for an assignment already made. */
interface Busy {
  start: number;
  end: number;
  job: number;
}

/**
 * One worker's time while planning: the busy stretches by start, and the minutes per ISO week
 * (kept for a worker with a weekly cap only). The plan's stretches are the options' own objects,
 * shared by the team's members: placing a team allocates nothing.
 */
class Timeline {
  readonly busy: Busy[] = [];
  /** week (Monday day number) → minutes */
  readonly weekMinutes = new Map<number, number>();

  constructor(readonly cap: number | null) {}

  /** Free during the option and within the cap with it. */
  fits(opt: StartOption): boolean {
    for (const b of this.busy) {
      if (b.start >= opt.end) break;
      if (b.end > opt.start) return false;
    }
    if (this.cap === null) return true;
    for (const [week, minutes] of opt.weeks) if ((this.weekMinutes.get(week) ?? 0) + minutes > this.cap) return false;
    return true;
  }

  add(b: Busy, weeks: readonly (readonly [number, number])[]): void {
    let i = this.busy.length;
    while (i > 0 && this.busy[i - 1]!.start > b.start) i--;
    this.busy.splice(i, 0, b);
    if (this.cap !== null) for (const [week, minutes] of weeks) this.weekMinutes.set(week, (this.weekMinutes.get(week) ?? 0) + minutes);
  }

  remove(job: number, weeks: readonly (readonly [number, number])[]): void {
    const i = this.busy.findIndex((b) => b.job === job);
    if (i < 0) return;
    this.busy.splice(i, 1);
    if (this.cap !== null) for (const [week, minutes] of weeks) this.weekMinutes.set(week, this.weekMinutes.get(week)! - minutes);
  }
}

function initialTimelines(workers: readonly PlanWorker[]): Timeline[] {
  return workers.map((w) => {
    const line = new Timeline(w.weeklyCapMinutes);
    for (const a of w.assignments) line.add({ start: a.start, end: a.end, job: -1 }, minutesPerWeek(a.start, a.end));
    return line;
  });
}

// ── Teams ────────────────────────────────────────────────────────────────────────────────────────

export interface Team {
  /** index into the job's options; -1: not planned */
  option: number;
  members: Candidate[];
  /** worker index of the leader, -1 for none */
  lead: number;
  /** the team's part of the objective (teamValue) */
  value: number;
}

const NO_TEAM: Team = { option: -1, members: [], lead: -1, value: 0 };

export const teamValue = (t: Pick<Team, 'members'>): number => t.members.reduce((sum, m) => sum + SLOT_WEIGHT + m.score, 0);

/**
 * The best team for one job at one start, given the workers' time now. Exact for the job alone:
 * without a leader to find, the best free workers; with one, either the best free workers
 * already include someone who can lead (then the best of them leads), or the best free leader
 * joins the best others. No free leader: no team. No team either once it is clear the team
 * would be worth less than `need` (the candidates come best first).
 */
function bestTeamAt(m: JobModel, option: number, lines: readonly Timeline[], need: number): Team {
  const opt = m.options[option]!;
  const top: Candidate[] = [];
  let value = 0;
  let firstLead: Candidate | null = null;
  for (const c of opt.candidates) {
    if (top.length >= m.open && (!m.needsLead || firstLead)) break;
    if (top.length < m.open && value + (m.open - top.length) * (SLOT_WEIGHT + c.score) < need) return NO_TEAM;
    if (!lines[c.w]!.fits(opt)) continue;
    if (top.length < m.open) {
      top.push(c);
      value += SLOT_WEIGHT + c.score;
    }
    if (c.lead && !firstLead) firstLead = c;
  }
  if (top.length === 0) return NO_TEAM;
  if (!m.needsLead) return { option, members: top, lead: -1, value };
  if (!firstLead) return NO_TEAM;
  if (top.includes(firstLead)) return { option, members: top, lead: firstLead.w, value };
  value += firstLead.score - top[m.open - 1]!.score;
  top[m.open - 1] = firstLead;
  return { option, members: top, lead: firstLead.w, value };
}

/**
 * A job's options, the most promising first: `order` by `bound` (what the option's best
 * candidates would give, every one free), ties by index. No team at an option beats its bound.
 */
interface OptionRank {
  order: number[];
  bound: number[];
}

function rankOptions(m: JobModel): OptionRank {
  const bound = m.options.map((o) => teamValue({ members: o.candidates.slice(0, m.open) }));
  const order = m.options.map((_, o) => o).sort((a, b) => bound[b]! - bound[a]! || a - b);
  return { order, bound };
}

/**
 * The best team over the job's options worth more than `floor`, else no team: the highest value,
 * ties to the first option. The options are tried by their bound, so the search stops at the
 * first whose bound is below the best found (or not above the floor).
 */
function bestTeam(m: JobModel, rank: OptionRank, lines: readonly Timeline[], floor = 0): Team {
  let best = NO_TEAM;
  for (const o of rank.order) {
    const need = Math.max(floor + 1, best.value);
    if (rank.bound[o]! < need) break;
    const t = bestTeamAt(m, o, lines, need);
    if (t.value >= need && (t.value > best.value || o < best.option)) best = t;
  }
  return best;
}

/** The number of bits set. */
function popcount(bits: number): number {
  let n = 0;
  for (let b = bits >>> 0; b !== 0; b = (b & (b - 1)) >>> 0) n++;
  return n;
}

/** Whether one of the team's members is in the set of workers. */
function holdsAny(team: Team, workers: Uint32Array): boolean {
  for (const c of team.members) if ((workers[c.w >>> 5]! & (1 << (c.w & 31))) !== 0) return true;
  return false;
}

// ── The planner ──────────────────────────────────────────────────────────────────────────────────

export interface PlannerLimits {
  /** budget of re-plans (deterministic) */
  maxMoves?: number;
  /** wall-clock instant (performance.now()) after which no more moves are made */
  deadline?: number;
}

export class Planner {
  private readonly lines: Timeline[];
  readonly teams: Team[];
  moves = 0;
  improvements = 0;
  rounds = 0;
  private readonly maxMoves: number;
  private readonly deadline: number;
  private readonly ranks: OptionRank[];
  /** per job and option its busy stretch, shared by the team's members */
  private readonly stretches: Busy[][];
  /** what each job would get alone (only the assignments already made in the way): no re-plan gives it more */
  private readonly ideal: number[];
  /** per job the workers eligible at any of its options, as a bit set */
  private readonly workers: Uint32Array[];

  constructor(readonly model: PlanningModel, limits: PlannerLimits = {}) {
    this.maxMoves = limits.maxMoves ?? DEFAULT_MAX_MOVES;
    this.deadline = limits.deadline ?? Infinity;
    this.lines = initialTimelines(model.workers);
    this.teams = model.jobs.map(() => NO_TEAM);
    this.ranks = model.jobs.map(rankOptions);
    this.stretches = model.jobs.map((m, j) => m.options.map((o) => ({ start: o.start, end: o.end, job: j })));
    this.ideal = model.jobs.map((m, j) => bestTeam(m, this.ranks[j]!, this.lines).value);
    const words = Math.ceil(model.workers.length / 32);
    this.workers = model.jobs.map((m) => {
      const set = new Uint32Array(words);
      for (const o of m.options) for (const c of o.candidates) set[c.w >>> 5]! |= 1 << (c.w & 31);
      return set;
    });
  }

  /** The move budget or the time is spent. */
  private spent(): boolean {
    return this.moves >= this.maxMoves || (this.deadline !== Infinity && performance.now() >= this.deadline);
  }

  private bestTeam(j: number, floor = 0): Team {
    return bestTeam(this.model.jobs[j]!, this.ranks[j]!, this.lines, floor);
  }

  private apply(j: number, team: Team): void {
    this.teams[j] = team;
    if (team.option < 0) return;
    const weeks = this.model.jobs[j]!.options[team.option]!.weeks;
    const stretch = this.stretches[j]![team.option]!;
    for (const c of team.members) this.lines[c.w]!.add(stretch, weeks);
  }

  private unapply(j: number): void {
    const team = this.teams[j]!;
    if (team.option >= 0) {
      const weeks = this.model.jobs[j]!.options[team.option]!.weeks;
      for (const c of team.members) this.lines[c.w]!.remove(j, weeks);
    }
    this.teams[j] = NO_TEAM;
  }

  /**
   * Re-plans the jobs in this order; keeps the result only if the objective grows. It gives up
   * as soon as the jobs still to re-plan could not make up the difference even at their ideal.
   */
  replan(jobs: readonly number[]): boolean {
    this.moves++;
    let oldValue = 0;
    let reachable = 0;
    for (const j of jobs) {
      oldValue += this.teams[j]!.value;
      reachable += this.ideal[j]!;
    }
    if (reachable <= oldValue) return false;
    const before = jobs.map((j) => this.teams[j]!);
    for (const j of jobs) this.unapply(j);
    let newValue = 0;
    for (const j of jobs) {
      // below this, the move cannot gain even with the jobs after j at their ideal
      const floor = oldValue - (reachable - this.ideal[j]!);
      const t = this.bestTeam(j, Math.max(0, floor));
      this.apply(j, t);
      newValue += t.value;
      reachable -= this.ideal[j]! - t.value;
      if (reachable <= oldValue) break;
    }
    if (newValue > oldValue) {
      this.improvements++;
      return true;
    }
    for (const j of jobs) this.unapply(j);
    jobs.forEach((j, i) => this.apply(j, before[i]!));
    return false;
  }

  /** Fewest eligible workers per open place first, then by the earliest start, then input order. */
  difficultyOrder(): number[] {
    const info = this.model.jobs.map((m, j) => {
      const workers = this.workers[j]!.reduce((n, bits) => n + popcount(bits), 0);
      return { j, slack: m.open === 0 ? Infinity : workers / m.open, start: m.options[0]?.start ?? Infinity, flex: m.options.length };
    });
    info.sort((a, b) => a.slack - b.slack || a.flex - b.flex || a.start - b.start || a.j - b.j);
    return info.filter((x) => this.model.jobs[x.j]!.options.length > 0).map((x) => x.j);
  }

  construct(order: readonly number[]): void {
    for (const j of order) this.apply(j, this.bestTeam(j));
  }

  /** Jobs that compete with job j for a worker at overlapping times (or in the same week, for a capped worker). */
  private rivals(order: readonly number[], workers: readonly Uint32Array[]): Map<number, number[]> {
    const capped = new Uint32Array(Math.ceil(this.model.workers.length / 32));
    this.model.workers.forEach((w, i) => {
      if (w.weeklyCapMinutes !== null) capped[i >>> 5]! |= 1 << (i & 31);
    });
    const span = this.model.jobs.map((m) => ({ from: m.options[0]?.start ?? 0, until: m.options[m.options.length - 1]?.end ?? 0 }));
    const byStart = [...order].sort((a, b) => span[a]!.from - span[b]!.from || a - b);
    const out = new Map<number, number[]>(order.map((j) => [j, []]));
    for (let x = 0; x < byStart.length; x++) {
      const a = byStart[x]!;
      const sa = span[a]!;
      const wa = workers[a]!;
      const weekEnd = weekBounds(weekStartDay(localTime(sa.from).day))[1];
      for (let y = x + 1; y < byStart.length; y++) {
        const b = byStart[y]!;
        const sb = span[b]!;
        if (sb.from >= weekEnd) break;
        // a worker both can do: at any time when they overlap, else one with a cap
        const wb = workers[b]!;
        const overlapping = sb.from < sa.until;
        let shared = false;
        for (let i = 0; i < wa.length && !shared; i++) shared = (wa[i]! & wb[i]! & (overlapping ? ~0 : capped[i]!)) !== 0;
        if (shared) {
          out.get(a)!.push(b);
          out.get(b)!.push(a);
        }
      }
    }
    return out;
  }

  /**
   * The planned jobs that keep worker w from an option: the overlapping ones, and when the weekly
   * cap would still be exceeded without them, the worker's other planned jobs of that week too.
   * Null when an existing assignment (not the plan's) is in the way.
   */
  private blockersOf(w: number, opt: StartOption): number[] | null {
    const line = this.lines[w]!;
    const jobs = new Set<number>();
    let freed = 0;
    for (const b of line.busy) {
      if (b.start >= opt.end) break;
      if (b.end <= opt.start) continue;
      if (b.job < 0) return null;
      jobs.add(b.job);
      freed += (b.end - b.start) / MINUTE_MS;
    }
    if (line.cap !== null) {
      const minutes = (opt.end - opt.start) / MINUTE_MS;
      const week = weekStartDay(localTime(opt.start).day);
      if ((line.weekMinutes.get(week) ?? 0) - freed + minutes > line.cap) {
        const [from, until] = weekBounds(week);
        for (const b of line.busy) {
          if (b.start >= until) break;
          if (b.end > from && b.job >= 0) jobs.add(b.job);
        }
      }
    }
    return jobs.size === 0 ? null : [...jobs];
  }

  improve(order: readonly number[]): void {
    const workers = this.workers;
    const rivals = this.rivals(order, workers);
    const rank = new Int32Array(this.model.jobs.length);
    order.forEach((j, i) => (rank[j] = i));
    const byRank = (a: number, b: number) => rank[a]! - rank[b]!;
    // the competing jobs re-planned with a job that has an open place, hardest first
    const near = new Map<number, number[]>();
    const nearOf = (j: number) => {
      let jobs = near.get(j);
      if (!jobs) near.set(j, (jobs = [...(rivals.get(j) ?? [])].sort(byRank).slice(0, RECREATE_LIMIT)));
      return jobs;
    };
    const ideal = this.ideal;
    for (this.rounds = 0; this.rounds < MAX_ROUNDS; this.rounds++) {
      let improved = false;
      for (const j of order) {
        if (this.spent()) return;
        // a job that has what it would get alone cannot gain, so the moves start from the others
        if (this.teams[j]!.value >= ideal[j]!) continue;
        const m = this.model.jobs[j]!;
        if (this.replan([j])) improved = true;
        if (this.teams[j]!.members.length < m.open) {
          // Ejection: free a worker the job needs from the planned jobs in the way, re-plan those after it.
          const team = this.teams[j]!;
          const options = team.option >= 0 ? [team.option] : m.options.map((_, o) => o);
          const tried = new Set<string>();
          search: for (const o of options) {
            const opt = m.options[o]!;
            for (const c of opt.candidates) {
              if (this.spent()) return;
              if (team.members.includes(c) || this.lines[c.w]!.fits(opt)) continue;
              const blockers = this.blockersOf(c.w, opt);
              if (!blockers || blockers.length > 6) continue;
              blockers.sort(byRank);
              const key = blockers.join(',');
              if (tried.has(key)) continue;
              tried.add(key);
              if (this.replan([j, ...blockers])) {
                improved = true;
                break search;
              }
            }
          }
          // Ruin and recreate: the job first, then every job competing with it, hardest first.
          if (this.teams[j]!.members.length < m.open) {
            const jobs = nearOf(j);
            if (jobs.length > 0 && this.replan([j, ...jobs])) improved = true;
          }
        }
        // Pairs: a job that holds a worker this one could use, re-planned together in both orders (swaps).
        const wanted = workers[j]!;
        for (const k of rivals.get(j) ?? []) {
          if (this.teams[j]!.value >= ideal[j]!) break;
          if (!holdsAny(this.teams[k]!, wanted)) continue;
          if (this.spent()) return;
          if (this.replan([j, k]) || this.replan([k, j])) improved = true;
        }
      }
      if (!improved) return;
    }
  }

  objective(): number {
    return this.teams.reduce((s, t) => s + t.value, 0);
  }
}

// ── Explaining ───────────────────────────────────────────────────────────────────────────────────

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

function explainUnplaced(model: PlanningModel, planner: Planner, j: number): Unplaced['reasons'] {
  const m = model.jobs[j]!;
  const team = planner.teams[j]!;
  const reasons: Unplaced['reasons'] = [];
  const skill = m.job.skill;
  if (m.options.length === 0) {
    reasons.push({ code: 'no_time', text: { nl: 'Er is geen begintijd meer over in de gekozen periode', en: 'No start time is left in the chosen period' } });
    return reasons;
  }
  const skilled = model.workers.map((w, i) => ({ w, i })).filter(({ w }) => w.active && w.skills[skill] !== undefined);
  if (skilled.length === 0) {
    reasons.push({ code: 'skill', text: { nl: `Niemand heeft de vaardigheid ‘${skill}’`, en: `Nobody has the skill ‘${skill}’` } });
    return reasons;
  }
  if (m.needsLead && !skilled.some(({ w }) => w.skills[skill] === 'lead')) {
    reasons.push({ code: 'lead', text: { nl: `Niemand kan leiding geven bij ‘${skill}’`, en: `Nobody can lead ‘${skill}’` } });
  }
  if (team.members.length > 0) {
    reasons.push({
      code: 'team_incomplete',
      text: { nl: `${team.members.length} van de ${m.open} open plaatsen gevuld`, en: `${team.members.length} of the ${m.open} open places filled` },
    });
  }
  // Too few people with the skill at all, once those already on this job are counted out.
  const others = skilled.filter(({ i }) => !team.members.some((c) => c.w === i) && !m.job.assigned.some((a) => a.workerId === model.workers[i]!.id)).length;
  if (others < m.open - team.members.length) {
    reasons.push({
      code: 'skill',
      text: { nl: `Te weinig medewerkers met de vaardigheid ‘${skill}’ (nog ${others} beschikbaar)`, en: `Too few workers with the skill ‘${skill}’ (${others} more available)` },
    });
  }
  // Why the others could not come: at the team's start, or (not planned at all) at the start
  // where the most were free. Each worker counts once, with the first rule that keeps them away.
  const options = team.option >= 0 ? [team.option] : m.options.map((_, o) => o);
  const inTeam = new Set(team.members.map((c) => c.w));
  const best: Map<number, Assessment['blocker'] | 'planned' | 'unavailable'> = new Map();
  const rank = { planned: 0, unavailable: 1, weekly_cap: 2, free: 3, absent: 4, inactive: 5, skill: 6 } as const;
  for (const o of options) {
    const opt = m.options[o]!;
    for (const { i } of skilled) {
      if (inTeam.has(i) || m.job.assigned.some((a) => a.workerId === model.workers[i]!.id)) continue;
      const a = assess(m.job, opt.start, opt.end, model.initialLoads[i]!, model.ctx);
      let status: 'planned' | 'unavailable' | NonNullable<Assessment['blocker']> = a.blocker ?? 'planned';
      if (status === 'planned' && m.needsLead && team.members.length === 0 && !a.canLead) status = 'unavailable';
      const prev = best.get(i);
      if (prev === undefined || prev === null || rank[status] < rank[prev]) best.set(i, status);
    }
  }
  const count = (s: string) => [...best.values()].filter((v) => v === s).length;
  const absent = count('absent');
  const busy = count('free');
  const cap = count('weekly_cap');
  const planned = count('planned');
  const noLead = count('unavailable');
  if (busy) reasons.push({ code: 'free', text: { nl: `${busy} ${plural(busy, 'medewerker heeft', 'medewerkers hebben')} dan al een klus`, en: `${busy} ${plural(busy, 'worker already has', 'workers already have')} a job then` } });
  if (absent) reasons.push({ code: 'absent', text: { nl: `${absent} ${plural(absent, 'medewerker is', 'medewerkers zijn')} dan afwezig`, en: `${absent} ${plural(absent, 'worker is', 'workers are')} away then` } });
  if (cap) reasons.push({ code: 'weekly_cap', text: { nl: `${cap} ${plural(cap, 'medewerker zit', 'medewerkers zitten')} aan de weeklimiet`, en: `${cap} ${plural(cap, 'worker has', 'workers have')} reached the weekly limit` } });
  if (planned) reasons.push({ code: 'planned', text: { nl: `${planned} ${plural(planned, 'medewerker is', 'medewerkers zijn')} in dit plan al bij een andere klus ingedeeld`, en: `${planned} ${plural(planned, 'worker is', 'workers are')} planned for another job in this plan` } });
  if (noLead && m.needsLead && !reasons.some((r) => r.code === 'lead')) reasons.push({ code: 'lead', text: { nl: 'Wie dan vrij is, kan geen leiding geven', en: 'Nobody free then can lead' } });
  return reasons;
}

// ── The whole run ────────────────────────────────────────────────────────────────────────────────

export function autoplan(input: AutoplanInput): AutoplanResult {
  const started = performance.now();
  const model = buildModel(input);
  const planner = new Planner(model, { maxMoves: input.maxMoves, deadline: input.timeLimitMs === undefined ? undefined : started + input.timeLimitMs });
  const order = planner.difficultyOrder();
  planner.construct(order);
  if (input.construction !== 'only') planner.improve(order);

  const proposals: Proposal[] = [];
  const unplaced: Unplaced[] = [];
  let filledPlaces = 0;
  let openPlaces = 0;
  model.jobs.forEach((m, j) => {
    if (m.open === 0) return;
    openPlaces += m.open;
    const team = planner.teams[j]!;
    filledPlaces += team.members.length;
    if (team.option >= 0 && team.members.length > 0) {
      const members = [...team.members].sort((a, b) => Number(b.w === team.lead) - Number(a.w === team.lead) || b.score - a.score || a.w - b.w);
      const good = new Set<string>();
      for (const c of members) for (const g of c.good) good.add(g);
      const reasons = ['available', 'buurt', 'known_customer', 'fair_hours'].filter((g) => good.has(g));
      if (team.members.length < m.open) reasons.push('team_incomplete');
      proposals.push({
        bookingId: m.job.id,
        startsAt: m.options[team.option]!.start,
        workers: members.map((c) => ({ workerId: model.workers[c.w]!.id, displayName: model.workers[c.w]!.displayName, leads: c.w === team.lead, score: c.score })),
        score: Math.round(members.reduce((s, c) => s + c.score, 0) / members.length),
        reasons,
      });
    }
    if (team.members.length < m.open) unplaced.push({ bookingId: m.job.id, reasons: explainUnplaced(model, planner, j) });
  });
  proposals.sort((a, b) => a.startsAt - b.startsAt || (a.bookingId < b.bookingId ? -1 : 1));
  return {
    proposals, unplaced, objective: planner.objective(), filledPlaces, openPlaces,
    stats: { moves: planner.moves, improvements: planner.improvements, rounds: planner.rounds },
  };
}
