/**
 * What the dispatcher's pages (the board, the job panel, auto-plan, worker management) share on
 * the server: reading the board's address, the services as a list of skills, the coaches.
 */
import { amsterdamDate, type Locale } from '@buurtservice/shared';
import type { Me, Service } from '$lib/api/types';
import type { AvailabilitySlot, Skill, SkillLevel, Worker, WorkerContract } from '$lib/api/bookings';
import { dictionary } from '$lib/i18n';
import { isoDateOf, isUuid, text } from './forms';
import type { ApiClient } from './client';

export type Span = 'day' | 'week';

/** The board's address: `?datum=YYYY-MM-DD&weergave=dag|week` (today and a day when missing or wrong). */
export function boardParams(url: URL): { date: string; span: Span; today: string } {
  const today = amsterdamDate();
  const date = isoDateOf(url.searchParams.get('datum') ?? '') ?? today;
  const span: Span = url.searchParams.get('weergave') === 'week' ? 'week' : 'day';
  return { date, span, today };
}

/** The query string that brings someone back to the same board. */
export function boardQuery(date: string, span: Span): string {
  return `datum=${date}&weergave=${span === 'week' ? 'week' : 'dag'}`;
}

/** A skill a worker can have, named after the service(s) that need it. */
export interface SkillOption {
  skill: string;
  name: string;
}

/** Every skill the programme's services need, named by the service, plus `extra` skills no service needs (kept). */
export function skillOptions(services: Service[], locale: Locale, extra: string[] = []): SkillOption[] {
  const names = new Map<string, string[]>();
  for (const s of services) {
    if (!s.requiredSkill) continue;
    names.set(s.requiredSkill, [...(names.get(s.requiredSkill) ?? []), s.name[locale]]);
  }
  for (const skill of extra) if (!names.has(skill)) names.set(skill, [skill]);
  return [...names.entries()].map(([skill, list]) => ({ skill, name: list.join(', ') })).sort((a, b) => a.name.localeCompare(b.name, locale));
}

/** The services, or none when the API could not give them (the skill then shows its code). */
export async function servicesOf(api: ApiClient): Promise<Service[]> {
  const result = await api.get<{ services: Service[] }>('/services');
  return result.ok ? result.data.services : [];
}

export interface Person {
  id: string;
  name: string;
}

/**
 * The staff who can coach a worker. A programme admin sees every dispatcher and admin; a
 * dispatcher (who may not list users) the coaches already known from the workers, and themself.
 */
export async function coachesOf(api: ApiClient, me: Me, workers: Worker[]): Promise<Person[]> {
  const result = await api.get<{ users: { id: string; role: string; displayName: string }[] }>('/users');
  const people = new Map<string, string>();
  if (result.ok) {
    for (const u of result.data.users) if (u.role === 'dispatcher' || u.role === 'programme_admin') people.set(u.id, u.displayName);
  } else {
    people.set(me.id, me.displayName);
    for (const w of workers) if (w.coachId && w.coachName) people.set(w.coachId, w.coachName);
  }
  return [...people.entries()].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
}

export async function buurtenOf(api: ApiClient): Promise<Person[]> {
  const result = await api.get<{ buurten: { id: string; name: string }[] }>('/buurten');
  return result.ok ? result.data.buurten.map((b) => ({ id: b.id, name: b.name })) : [];
}

export const SKILL_LEVELS: readonly SkillLevel[] = ['learning', 'independent', 'lead'];

export function isSkillLevel(value: string): value is SkillLevel {
  return (SKILL_LEVELS as readonly string[]).includes(value);
}

/** "08:30" → 510; null when it is no time of day. */
export function minuteOf(value: string): number | null {
  const match = /^(\d{1,2})[:.](\d{2})$/.exec(value.trim());
  if (!match) return null;
  const h = Number(match[1]);
  const m = Number(match[2]);
  return h <= 24 && m < 60 && h * 60 + m <= 1440 ? h * 60 + m : null;
}

/** Hours per week as typed ("20", "17,5") → minutes; null when it is no sensible number. */
export function hoursToMinutes(value: string): number | null {
  const match = /^(\d{1,2})(?:[.,](\d{1,2}))?$/.exec(value.trim());
  if (!match) return null;
  const minutes = Math.round(Number(`${match[1]}.${match[2] ?? '0'}`) * 60);
  return minutes >= 15 && minutes <= 60 * 60 ? minutes : null;
}

// ── Worker forms ──

export const CONTRACTS: readonly WorkerContract[] = ['paid', 'volunteer', 'benefit', 'trainee'];

export interface ContractValues {
  contract: string;
  cap: string;
  homeBuurtId: string;
  coachId: string;
  startedOn: string;
}

export interface ContractBody {
  contract: WorkerContract;
  weeklyCapMinutes: number | null;
  homeBuurtId: string | null;
  coachId: string | null;
  startedOn: string;
}

/** The contract part of a worker form: contract, weekly cap (benefit only, then required), buurt, coach, start date. */
export function readContract(form: FormData, locale: Locale): { values: ContractValues; errors: Record<string, string>; body: ContractBody | null } {
  const t = dictionary(locale).dispatch.worker.errors;
  const values: ContractValues = {
    contract: text(form, 'contract'),
    cap: text(form, 'cap'),
    homeBuurtId: text(form, 'homeBuurtId'),
    coachId: text(form, 'coachId'),
    startedOn: text(form, 'startedOn'),
  };
  const errors: Record<string, string> = {};
  const contract = (CONTRACTS as readonly string[]).includes(values.contract) ? (values.contract as WorkerContract) : null;
  if (!contract) errors.contract = t.contractRequired;
  let cap: number | null = null;
  if (contract === 'benefit') {
    cap = hoursToMinutes(values.cap);
    if (cap === null) errors.cap = t.capRequired;
  }
  const startedOn = isoDateOf(values.startedOn);
  if (!startedOn) errors.startedOn = t.dateInvalid;
  if (values.homeBuurtId && !isUuid(values.homeBuurtId)) errors.homeBuurtId = t.fieldInvalid;
  if (values.coachId && !isUuid(values.coachId)) errors.coachId = t.fieldInvalid;
  if (!contract || !startedOn || Object.keys(errors).length > 0) return { values, errors, body: null };
  return {
    values,
    errors,
    body: { contract, weeklyCapMinutes: cap, homeBuurtId: values.homeBuurtId || null, coachId: values.coachId || null, startedOn },
  };
}

const SKILL_CODE = /^[a-z0-9_-]{1,40}$/;

/** The skills part: a hidden `skill` per skill shown, and its level in `level-<skill>` ('' = cannot). */
export function readSkills(form: FormData, locale: Locale): { values: Record<string, string>; errors: Record<string, string>; skills: Skill[] | null } {
  const t = dictionary(locale).dispatch.worker.errors;
  const values: Record<string, string> = {};
  const errors: Record<string, string> = {};
  const skills: Skill[] = [];
  const codes = [...new Set(form.getAll('skill').filter((v): v is string => typeof v === 'string' && SKILL_CODE.test(v)))];
  for (const skill of codes) {
    const level = text(form, `level-${skill}`);
    values[skill] = level;
    if (!level) continue;
    if (isSkillLevel(level)) skills.push({ skill, level });
    else errors[`level-${skill}`] = t.levelInvalid;
  }
  return { values, errors, skills: Object.keys(errors).length > 0 ? null : skills };
}

/** How many time rows a weekday can have in the form. */
export const MAX_SLOTS_PER_DAY = 4;

/** Weekly availability: `van-<weekday>-<i>` and `tot-<weekday>-<i>` (both empty: not that day). */
export function readAvailability(form: FormData, locale: Locale): { values: Record<string, string>; errors: Record<string, string>; slots: AvailabilitySlot[] | null } {
  const t = dictionary(locale).dispatch.worker.errors;
  const values: Record<string, string> = {};
  const errors: Record<string, string> = {};
  const slots: AvailabilitySlot[] = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    for (let i = 0; i < MAX_SLOTS_PER_DAY; i++) {
      const fromName = `van-${weekday}-${i}`;
      const untilName = `tot-${weekday}-${i}`;
      const from = text(form, fromName);
      const until = text(form, untilName);
      if (form.has(fromName) || form.has(untilName)) Object.assign(values, { [fromName]: from, [untilName]: until });
      if (!from && !until) continue;
      if (!from || !until) {
        errors[from ? untilName : fromName] = t.timeBoth;
        continue;
      }
      const start = minuteOf(from);
      const end = minuteOf(until);
      if (start === null) errors[fromName] = t.timeInvalid;
      if (end === null) errors[untilName] = t.timeInvalid;
      if (start === null || end === null) continue;
      if (end <= start) {
        errors[untilName] = t.timeOrder;
        continue;
      }
      slots.push({ weekday, startMinute: start, endMinute: end });
    }
  }
  return { values, errors, slots: Object.keys(errors).length > 0 ? null : slots };
}

/** The form field an API error code belongs to, for the worker forms. */
export const WORKER_FIELD_OF_CODE: Record<string, string> = {
  email_taken: 'email',
  password_too_short: 'password',
  password_too_long: 'password',
  password_common: 'password',
  weekly_cap_required: 'cap',
  weekly_cap_only_for_benefit: 'cap',
  coach_not_staff: 'coachId',
  buurt_not_found: 'homeBuurtId',
};
