import { localTime, minutesPerWeek, MINUTE_MS } from './time.js';
import type { LocalizedText, PlanJob, PlanWorker, PlanningContext, PlanAbsence, Reason, SkillLevel } from './types.js';

/**
 * How well a worker fits a job at a time: written down once, used by the suggestions and the
 * auto-planner alike.
 *
 * Hard rules make a worker ineligible (score 0): inactive, lacks the service's skill, absent,
 * already working elsewhere then (overlap), or over the weekly cap of a benefit with this job.
 * Soft criteria give the score 0..100, weighted by WEIGHTS (they add up to 100):
 *  - available: the share of the job inside the worker's usual weekly hours;
 *  - fair_hours: trainees first, then whoever worked fewer hours this ISO week and this month;
 *  - buurt: lives in the job's buurt (a bordering buurt counts half, when the data knows them);
 *  - known_customer: has worked for this customer before;
 *  - skill: the level (lead > independent > learning).
 */
export const WEIGHTS = { available: 35, fair_hours: 20, buurt: 20, known_customer: 15, skill: 10 } as const;

/** Hours that count as a full week and a full month for the fair-share criterion. */
export const FULL_WEEK_MINUTES = 36 * 60;
export const FULL_MONTH_MINUTES = 152 * 60;

const LEVEL_SHARE: Record<SkillLevel, number> = { lead: 1, independent: 0.8, learning: 0.4 };
const LEVEL_TEXT: Record<SkillLevel, LocalizedText> = {
  lead: { nl: 'kan leiding geven', en: 'can lead' },
  independent: { nl: 'zelfstandig', en: 'independent' },
  learning: { nl: 'in opleiding', en: 'learning' },
};
const ABSENCE_TEXT: Record<PlanAbsence['kind'], LocalizedText> = {
  leave: { nl: 'met verlof', en: 'on leave' },
  sick: { nl: 'ziek', en: 'sick' },
  other: { nl: 'afwezig', en: 'away' },
};

const hours = (minutes: number) => {
  const h = Math.round(minutes / 6) / 10;
  return { nl: String(h).replace('.', ','), en: String(h) };
};

/**
 * A worker's time as the planner sees it: active assignments (sorted) and minutes per ISO week.
 * The auto-planner adds and removes its own tentative assignments here.
 */
export class WorkerLoad {
  private readonly busy: { start: number; end: number; key: string; weeks: readonly (readonly [number, number])[] }[] = [];
  /** week (Monday day number) → minutes */
  readonly weekMinutes = new Map<number, number>();

  constructor(readonly worker: PlanWorker) {
    for (const a of worker.assignments) this.add(a.start, a.end, a.bookingId);
  }

  /** Whether [start, end) overlaps an assignment (other than of booking `except`). */
  overlaps(start: number, end: number, except?: string): boolean {
    for (const b of this.busy) {
      if (b.start >= end) return false;
      if (b.end > start && b.key !== except) return true;
    }
    return false;
  }

  /** The assignments overlapping [start, end). */
  overlapping(start: number, end: number): string[] {
    const out: string[] = [];
    for (const b of this.busy) {
      if (b.start >= end) break;
      if (b.end > start) out.push(b.key);
    }
    return out;
  }

  /** The week over the cap with [start, end) added, or null when it fits (always without a cap). */
  capExceeded(start: number, end: number): { week: number; usedMinutes: number } | null {
    const cap = this.worker.weeklyCapMinutes;
    if (cap === null) return null;
    for (const [week, minutes] of minutesPerWeek(start, end)) {
      const used = (this.weekMinutes.get(week) ?? 0) + minutes;
      if (used > cap) return { week, usedMinutes: used };
    }
    return null;
  }

  /**
   * Free and within the cap. `weeks` (minutesPerWeek of the interval) may be passed in when the
   * caller has it: the planner asks this for the same intervals many times.
   */
  fits(start: number, end: number, weeks?: readonly (readonly [number, number])[]): boolean {
    if (this.overlaps(start, end)) return false;
    const cap = this.worker.weeklyCapMinutes;
    if (cap === null) return true;
    for (const [week, minutes] of weeks ?? minutesPerWeek(start, end)) {
      if ((this.weekMinutes.get(week) ?? 0) + minutes > cap) return false;
    }
    return true;
  }

  add(start: number, end: number, key: string, weeks?: readonly (readonly [number, number])[]): void {
    let i = this.busy.length;
    while (i > 0 && this.busy[i - 1]!.start > start) i--;
    this.busy.splice(i, 0, { start, end, key, weeks: weeks ?? minutesPerWeek(start, end) });
    for (const [week, minutes] of this.busy[i]!.weeks) this.weekMinutes.set(week, (this.weekMinutes.get(week) ?? 0) + minutes);
  }

  remove(key: string): void {
    const i = this.busy.findIndex((b) => b.key === key);
    if (i < 0) return;
    const [b] = this.busy.splice(i, 1);
    for (const [week, minutes] of b!.weeks) this.weekMinutes.set(week, (this.weekMinutes.get(week) ?? 0) - minutes);
  }
}

export function absenceAt(worker: PlanWorker, start: number, end: number): PlanAbsence | undefined {
  return worker.absences.find((a) => a.start < end && a.end > start);
}

/** The share (0..1) of [start, end) inside the worker's usual weekly hours. */
export function availableShare(worker: PlanWorker, start: number, end: number): number {
  const total = end - start;
  if (total <= 0) return 0;
  let covered = 0;
  let from = start;
  // At most two local days: a job lasts 12 hours at most.
  while (from < end) {
    const local = localTime(from);
    const dayLeft = (1440 - local.minute) * MINUTE_MS;
    const until = Math.min(end, from + dayLeft);
    const m0 = local.minute;
    const m1 = m0 + (until - from) / MINUTE_MS;
    for (const s of worker.availability) {
      if (s.weekday !== local.weekday) continue;
      const overlap = Math.min(m1, s.endMinute) - Math.max(m0, s.startMinute);
      if (overlap > 0) covered += overlap * MINUTE_MS;
    }
    from = until;
  }
  return Math.min(1, covered / total);
}

export interface Assessment {
  eligible: boolean;
  canLead: boolean;
  /** 0..100; 0 when not eligible */
  score: number;
  level: SkillLevel | null;
  /** why not eligible: the first hard rule broken */
  blocker: 'inactive' | 'skill' | 'absent' | 'free' | 'weekly_cap' | null;
  /** soft criteria met (for explaining a plan) */
  good: ('available' | 'fair_hours' | 'buurt' | 'known_customer')[];
}

/** The fair-share part (0..1): trainees first, then fewer hours this week and this month. */
export function fairShare(worker: PlanWorker, weekMinutes: number): number {
  const week = Math.max(0, 1 - weekMinutes / FULL_WEEK_MINUTES);
  const month = Math.max(0, 1 - worker.monthMinutes / FULL_MONTH_MINUTES);
  const base = 0.6 * week + 0.4 * month;
  return worker.contract === 'trainee' ? Math.min(1, 0.5 + base / 2 + 0.25) : base;
}

function buurtShare(job: PlanJob, worker: PlanWorker, ctx: PlanningContext): number | null {
  if (!job.buurtId || !worker.homeBuurtId) return null;
  if (job.buurtId === worker.homeBuurtId) return 1;
  return ctx.neighbours?.get(job.buurtId)?.has(worker.homeBuurtId) ? 0.5 : 0;
}

/**
 * Assesses a worker for a job at [start, end). `load` is the worker's time (the planner's tentative
 * assignments included); the fair share reads the week's minutes from it.
 */
export function assess(job: PlanJob, start: number, end: number, load: WorkerLoad, ctx: PlanningContext): Assessment {
  const worker = load.worker;
  const level = worker.skills[job.skill] ?? null;
  const canLead = level === 'lead';
  let blocker: Assessment['blocker'] = null;
  if (!worker.active) blocker = 'inactive';
  else if (!level) blocker = 'skill';
  else if (absenceAt(worker, start, end)) blocker = 'absent';
  else if (load.overlaps(start, end, job.id)) blocker = 'free';
  else if (load.capExceeded(start, end)) blocker = 'weekly_cap';
  const good: Assessment['good'] = [];
  if (blocker) return { eligible: false, canLead, score: 0, level, blocker, good };

  const available = availableShare(worker, start, end);
  const week = load.weekMinutes.get(weekOf(start)) ?? 0;
  const fair = fairShare(worker, week);
  const buurt = buurtShare(job, worker, ctx) ?? 0;
  const known = worker.customers.has(job.customer) ? 1 : 0;
  const score = WEIGHTS.available * available + WEIGHTS.fair_hours * fair + WEIGHTS.buurt * buurt
    + WEIGHTS.known_customer * known + WEIGHTS.skill * LEVEL_SHARE[level!];
  if (available >= 1) good.push('available');
  if (fair >= 0.5) good.push('fair_hours');
  if (buurt > 0) good.push('buurt');
  if (known) good.push('known_customer');
  return { eligible: true, canLead, score: Math.round(score), level, blocker, good };
}

function weekOf(ms: number): number {
  const day = localTime(ms).day;
  return day - (((day + 3) % 7) + 7) % 7;
}

/** Every reason, in a fixed order, with Dutch and English text: what the dispatcher reads. */
export function explain(job: PlanJob, start: number, end: number, load: WorkerLoad, ctx: PlanningContext): Reason[] {
  const worker = load.worker;
  const level = worker.skills[job.skill];
  const reasons: Reason[] = [];
  reasons.push(level
    ? { code: 'skill', ok: true, text: { nl: `Kan dit werk (${LEVEL_TEXT[level].nl})`, en: `Can do this work (${LEVEL_TEXT[level].en})` } }
    : { code: 'skill', ok: false, text: { nl: `Heeft de vaardigheid ‘${job.skill}’ niet`, en: `Lacks the skill ‘${job.skill}’` } });

  if (!worker.active) {
    reasons.push({ code: 'available', ok: false, text: { nl: 'Is niet actief', en: 'Is not active' } });
  } else {
    const share = availableShare(worker, start, end);
    const pct = Math.round(share * 100);
    reasons.push(share >= 1
      ? { code: 'available', ok: true, text: { nl: 'Werkt normaal op dit tijdstip', en: 'Usually works at this time' } }
      : share > 0
        ? { code: 'available', ok: false, text: { nl: `Werkt normaal maar een deel van deze tijd (${pct}%)`, en: `Usually works only part of this time (${pct}%)` } }
        : { code: 'available', ok: false, text: { nl: 'Werkt normaal niet op dit tijdstip', en: 'Does not usually work at this time' } });
  }

  const busy = load.overlaps(start, end, job.id);
  reasons.push(busy
    ? { code: 'free', ok: false, text: { nl: 'Heeft dan al een andere klus', en: 'Already has another job then' } }
    : { code: 'free', ok: true, text: { nl: 'Heeft dan geen andere klus', en: 'Has no other job then' } });

  const absence = absenceAt(worker, start, end);
  reasons.push(absence
    ? { code: 'absent', ok: false, text: { nl: `Is dan ${ABSENCE_TEXT[absence.kind].nl}`, en: `Is ${ABSENCE_TEXT[absence.kind].en} then` } }
    : { code: 'absent', ok: true, text: { nl: 'Is dan niet afwezig', en: 'Is not away then' } });

  const cap = worker.weeklyCapMinutes;
  const week = load.weekMinutes.get(weekOf(start)) ?? 0;
  if (cap === null) {
    reasons.push({ code: 'weekly_cap', ok: true, text: { nl: 'Geen weeklimiet', en: 'No weekly limit' } });
  } else {
    const over = load.capExceeded(start, end);
    const c = hours(cap);
    const left = hours(Math.max(0, cap - week));
    reasons.push(over
      ? { code: 'weekly_cap', ok: false, text: { nl: `Gaat over de weeklimiet van ${c.nl} uur (nog ${left.nl} uur over)`, en: `Would exceed the weekly limit of ${c.en} hours (${left.en} hours left)` } }
      : { code: 'weekly_cap', ok: true, text: { nl: `Past in de weeklimiet van ${c.nl} uur (nog ${left.nl} uur over)`, en: `Fits the weekly limit of ${c.en} hours (${left.en} hours left)` } });
  }

  const buurt = buurtShare(job, worker, ctx);
  reasons.push(buurt === null
    ? { code: 'buurt', ok: false, text: { nl: 'Buurt onbekend', en: 'Neighbourhood unknown' } }
    : buurt === 1
      ? { code: 'buurt', ok: true, text: { nl: 'Woont in dezelfde buurt', en: 'Lives in the same neighbourhood' } }
      : buurt > 0
        ? { code: 'buurt', ok: true, text: { nl: 'Woont in een aangrenzende buurt', en: 'Lives in a neighbouring area' } }
        : { code: 'buurt', ok: false, text: { nl: 'Woont in een andere buurt', en: 'Lives in another neighbourhood' } });

  reasons.push(worker.customers.has(job.customer)
    ? { code: 'known_customer', ok: true, text: { nl: 'Heeft eerder voor deze klant gewerkt', en: 'Has worked for this customer before' } }
    : { code: 'known_customer', ok: false, text: { nl: 'Nog niet eerder bij deze klant', en: 'Has not worked for this customer before' } });

  const fair = fairShare(worker, week);
  const w = hours(week);
  const m = hours(worker.monthMinutes);
  const trainee = worker.contract === 'trainee' ? { nl: 'leerwerkplek gaat voor; ', en: 'trainees first; ' } : { nl: '', en: '' };
  reasons.push({
    code: 'fair_hours', ok: fair >= 0.5,
    text: { nl: `${trainee.nl}${w.nl} uur deze week, ${m.nl} uur deze maand`, en: `${trainee.en}${w.en} hours this week, ${m.en} hours this month` },
  });
  return reasons;
}
