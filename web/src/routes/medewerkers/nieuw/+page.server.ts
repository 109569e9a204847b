import { fail, redirect } from '@sveltejs/kit';
import { amsterdamDate, errorMessage, STAFF_ROLES } from '@buurtservice/shared';
import type { Worker } from '$lib/api/bookings';
import { dictionary } from '$lib/i18n';
import { requireRole } from '$lib/server/auth';
import { buurtenOf, coachesOf, readContract, readSkills, servicesOf, skillOptions, WORKER_FIELD_OF_CODE } from '$lib/server/dispatch';
import { EMAIL_PATTERN, failStatus, raw, text } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const PHONE_PATTERN = /^[0-9+() -]{6,20}$/;

/**
 * A new worker: name, contract and skills in one go, by a dispatcher or an admin. Most workers never
 * log in; email and start password are optional (a password only together with an email).
 */
export const load: PageServerLoad = async ({ locals, url }) => {
  const me = requireRole(locals, url, STAFF_ROLES);
  const [services, buurten, workers] = await Promise.all([
    servicesOf(locals.api),
    buurtenOf(locals.api),
    locals.api.get<{ workers: Worker[] }>('/workers'),
  ]);
  return {
    skills: skillOptions(services, locals.locale),
    buurten,
    coaches: await coachesOf(locals.api, me, workers.ok ? workers.data.workers : []),
    today: amsterdamDate(),
    me: me.id,
  };
};

export const actions: Actions = {
  default: async ({ request, locals, url }) => {
    requireRole(locals, url, STAFF_ROLES);
    const locale = locals.locale;
    const t = dictionary(locale).dispatch.worker.errors;
    const form = await request.formData();
    const account = { displayName: text(form, 'displayName'), email: text(form, 'email'), phone: text(form, 'phone') };
    const password = raw(form, 'password');
    const contract = readContract(form, locale);
    const skills = readSkills(form, locale);
    const values = { ...account, ...contract.values };
    const errors: Record<string, string> = { ...contract.errors, ...skills.errors };
    if (!account.displayName || account.displayName.length > 100) errors.displayName = t.nameRequired;
    if (account.email && !EMAIL_PATTERN.test(account.email)) errors.email = t.emailInvalid;
    if (password && !account.email) errors.password = t.passwordNeedsEmail;
    if (account.phone && !PHONE_PATTERN.test(account.phone)) errors.phone = t.phoneInvalid;
    if (Object.keys(errors).length > 0 || !contract.body || !skills.skills) return fail(400, { values, levels: skills.values, errors });

    const result = await locals.api.post<Worker>('/workers', {
      displayName: account.displayName,
      ...(account.email ? { email: account.email } : {}),
      ...(password ? { password } : {}),
      ...(account.phone ? { phone: account.phone } : {}),
      contract: contract.body.contract,
      ...(contract.body.weeklyCapMinutes !== null ? { weeklyCapMinutes: contract.body.weeklyCapMinutes } : {}),
      ...(contract.body.homeBuurtId ? { homeBuurtId: contract.body.homeBuurtId } : {}),
      ...(contract.body.coachId ? { coachId: contract.body.coachId } : {}),
      startedOn: contract.body.startedOn,
      skills: skills.skills,
    });
    if (!result.ok) {
      const { code } = result.error;
      const pointer = result.error.fields?.[0]?.field.replace(/^\//, '').split('/')[0];
      const field = WORKER_FIELD_OF_CODE[code] ?? (pointer && pointer in values ? pointer : undefined);
      const message = code === 'validation_failed' ? t.fieldInvalid : errorMessage(code, locale);
      if (field) return fail(failStatus(result.status), { values, levels: skills.values, errors: { [field]: message } });
      return fail(failStatus(result.status), { values, levels: skills.values, errors: {}, message });
    }
    redirect(303, `/medewerkers/${result.data.id}?nieuw=1`);
  },
};
