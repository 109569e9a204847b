import type { Database, Tx } from '../database.js';
import { createWorker, setAvailability, setSkills, type AvailabilitySlot, type Skill } from '../repositories/workers.js';
import type { WorkerContract } from '../schema.js';
import { DEFAULT_SERVICES } from './services.js';

export const DEMO_PASSWORD = 'demo-wachtwoord-2026';

export const DEMO_LOGINS = [
  { email: 'bewoner@example.nl', who: 'bewoner Breda Noordoost (€ 10 per uur)' },
  { email: 'bredapas@example.nl', who: 'bewoner met BredaPas (€ 6 per uur)' },
  { email: 'organisatie@example.nl', who: 'organisatie (€ 15 per uur)' },
  { email: 'coordinator@example.nl', who: 'coördinator (dispatcher)' },
  { email: 'medewerker@example.nl', who: 'medewerker (worker)' },
  { email: 'beheer@example.nl', who: 'programmabeheerder' },
  { email: 'bewoner.utrecht@example.nl', who: 'bewoner Utrecht Overvecht' },
  { email: 'beheer.utrecht@example.nl', who: 'programmabeheerder Utrecht Overvecht' },
] as const;

interface ProgrammeSeed {
  legal: { legalName: string; kvkNumber: string; vatNumber: string; iban: string; billingAddress: string };
  slug: string;
  name: string;
  city: string;
  cityPassName: string;
  servicePointAddress: string;
  buurten: { name: string; prefixes: string[] }[];
}

const BREDA: ProgrammeSeed = {
  legal: { legalName: 'Stichting Werk aan de Wijk Breda', kvkNumber: '20111222', vatNumber: 'NL811122233B01', iban: 'NL91ABNA0417164300', billingAddress: 'Wisselaan 4, 4823 JA Breda' },
  slug: 'breda-noordoost',
  name: 'Breda Noordoost',
  city: 'Breda',
  cityPassName: 'BredaPas',
  servicePointAddress: 'Werk aan de Wijk, Wisselaan 4, 4823 JA Breda',
  buurten: [
    { name: 'Hoge Vucht', prefixes: ['4823'] },
    { name: 'Doornbos-Linie', prefixes: ['4822'] },
    { name: 'Geeren-Noord', prefixes: ['4824'] },
    { name: 'Geeren-Zuid', prefixes: ['4825'] },
    { name: 'Heusdenhout', prefixes: ['4826'] },
  ],
};

const UTRECHT: ProgrammeSeed = {
  legal: { legalName: 'Stichting Wonen en Kansen Overvecht', kvkNumber: '30111222', vatNumber: 'NL822233344B01', iban: 'NL20INGB0001234567', billingAddress: 'Zamenhofdreef 30, 3562 JW Utrecht' },
  slug: 'utrecht-overvecht',
  name: 'Utrecht Overvecht',
  city: 'Utrecht',
  cityPassName: 'U-pas',
  servicePointAddress: 'Wijkbureau Overvecht, Zamenhofdreef 30, 3562 JW Utrecht',
  buurten: [
    { name: 'Overvecht-Noord', prefixes: ['3564'] },
    { name: 'Overvecht-Zuid', prefixes: ['3561'] },
    { name: 'Tigris en Zamenhofdreef', prefixes: ['3562'] },
    { name: 'Vechtzoom', prefixes: ['3563'] },
  ],
};

async function seedProgramme(tx: Tx, p: ProgrammeSeed) {
  const programme = await tx
    .insertInto('programmes')
    .values({
      slug: p.slug, name: p.name, city: p.city, city_pass_name: p.cityPassName,
      settings: JSON.stringify({ chequeValidityMonths: 12, servicePointAddress: p.servicePointAddress, ...p.legal }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const buurten: Record<string, string> = {};
  for (const b of p.buurten) {
    const row = await tx.insertInto('buurten').values({ programme_id: programme.id, name: b.name }).returning('id').executeTakeFirstOrThrow();
    buurten[b.name] = row.id;
    await tx.insertInto('postcode_areas').values(b.prefixes.map((prefix) => ({ prefix, programme_id: programme.id, buurt_id: row.id }))).execute();
  }
  await tx.insertInto('services').values(DEFAULT_SERVICES.map((s, i) => ({ ...s, programme_id: programme.id, sort_order: i }))).execute();
  await tx
    .insertInto('tariffs')
    .values([
      { programme_id: programme.id, category: 'resident', cents_per_worker_hour: 1000, valid_from: '2026-01-01' },
      { programme_id: programme.id, category: 'resident_city_pass', cents_per_worker_hour: 600, valid_from: '2026-01-01' },
      { programme_id: programme.id, category: 'organisation', cents_per_worker_hour: 1500, valid_from: '2026-01-01' },
    ])
    .execute();
  return { id: programme.id, buurten };
}

/**
 * Demo data for the zero-setup start and the browser tests: Breda Noordoost with every role, and
 * Utrecht Overvecht to show that programmes never see each other. Runs once: a database that
 * already has the Breda programme is left as it is.
 */
export async function seedDemo(db: Database, hashPassword: (password: string) => Promise<string>): Promise<boolean> {
  const exists = await db.selectFrom('programmes').select('id').where('slug', '=', BREDA.slug).executeTakeFirst();
  if (exists) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction().execute(async (tx) => {
    const breda = await seedProgramme(tx, BREDA);
    const utrecht = await seedProgramme(tx, UTRECHT);
    const staff = (programmeId: string, role: 'dispatcher' | 'worker' | 'programme_admin', email: string, name: string) =>
      tx.insertInto('users').values({ programme_id: programmeId, role, email, password_hash: passwordHash, display_name: name }).returning('id').executeTakeFirstOrThrow();
    const admin = await staff(breda.id, 'programme_admin', 'beheer@example.nl', 'Fatima El Amrani');
    const dispatcher = await staff(breda.id, 'dispatcher', 'coordinator@example.nl', 'Kees van Dijk');
    const sanne = await staff(breda.id, 'worker', 'medewerker@example.nl', 'Sanne de Bruijn');
    await staff(utrecht.id, 'programme_admin', 'beheer.utrecht@example.nl', 'Ruud Verhoeven');

    const household = async (programmeId: string, buurtId: string | undefined, h: { name: string; street: string; nr: number; postcode: string; city: string; phone: string }) =>
      tx.insertInto('households').values({
        programme_id: programmeId, name: h.name, street: h.street, house_number: h.nr, postcode: h.postcode, city: h.city, phone: h.phone, buurt_id: buurtId ?? null,
      }).returning('id').executeTakeFirstOrThrow();
    const resident = (programmeId: string, householdId: string, email: string | null, name: string, createdBy?: string) =>
      tx.insertInto('users').values({
        programme_id: programmeId, role: 'resident', household_id: householdId, email, password_hash: email ? passwordHash : null, display_name: name, created_by: createdBy ?? null,
      }).execute();

    const jansen = await household(breda.id, breda.buurten['Hoge Vucht'], { name: 'Fam. Jansen', street: 'Wisselaan', nr: 12, postcode: '4823JA', city: 'Breda', phone: '076 521 00 11' });
    await resident(breda.id, jansen.id, 'bewoner@example.nl', 'Marja Jansen');
    const yilmaz = await household(breda.id, breda.buurten['Geeren-Noord'], { name: 'Fam. Yilmaz', street: 'Geerenweg', nr: 40, postcode: '4824AB', city: 'Breda', phone: '076 521 00 22' });
    await resident(breda.id, yilmaz.id, 'bredapas@example.nl', 'Ayşe Yilmaz');
    await tx.insertInto('city_passes').values({
      household_id: yilmaz.id, programme_id: breda.id, pass_number: 'BP-2026-004711', expires_on: '2027-12-31', verified_at: new Date(), verified_by: dispatcher.id,
    }).execute();
    // A resident without email or computer: the dispatcher made the household and acts for her.
    const devries = await household(breda.id, breda.buurten['Heusdenhout'], { name: 'Mevr. De Vries', street: 'Heusdenhoutsestraat', nr: 7, postcode: '4826AA', city: 'Breda', phone: '076 521 00 33' });
    await resident(breda.id, devries.id, null, 'Riet de Vries', dispatcher.id);

    const corporation = await tx.insertInto('organisations').values({
      programme_id: breda.id, name: 'Woonstichting Noordoost', kvk_number: '20123456', vat_number: 'NL812345678B01',
      billing_street: 'Haagweg', billing_house_number: 100, billing_postcode: '4822AA', billing_city: 'Breda', email: 'facturen@woonstichting.example.nl', phone: '076 530 00 00',
    }).returning('id').executeTakeFirstOrThrow();
    await tx.insertInto('organisation_locations').values([
      { programme_id: breda.id, organisation_id: corporation.id, name: 'Flat Wisselaan', street: 'Wisselaan', house_number: 50, postcode: '4823JB', city: 'Breda', buurt_id: breda.buurten['Hoge Vucht'] ?? null },
      { programme_id: breda.id, organisation_id: corporation.id, name: 'Seniorencomplex De Geeren', street: 'Geerenweg', house_number: 2, postcode: '4824AC', city: 'Breda', buurt_id: breda.buurten['Geeren-Noord'] ?? null },
    ]).execute();
    await tx.insertInto('users').values({
      programme_id: breda.id, role: 'organisation_member', organisation_id: corporation.id, email: 'organisatie@example.nl', password_hash: passwordHash, display_name: 'Peter Smits', created_by: admin.id,
    }).execute();

    // The worker pool of Werk aan de Wijk: paid, volunteer, on a benefit (with the weekly hours the
    // benefit allows) and trainee; only Sanne signs in, the others get their jobs from the dispatcher.
    const weekdays = (days: number[], from: string, until: string): AvailabilitySlot[] => {
      const minute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
      return days.map((weekday) => ({ weekday, startMinute: minute(from), endMinute: minute(until) }));
    };
    const workerSeeds: {
      userId?: string; name: string; contract: WorkerContract; capHours?: number; buurt: string; coach: string; startedOn: string;
      skills: Skill[]; availability: AvailabilitySlot[];
    }[] = [
      {
        userId: sanne.id, name: 'Sanne de Bruijn', contract: 'paid', buurt: 'Hoge Vucht', coach: dispatcher.id, startedOn: '2025-03-01',
        skills: [{ skill: 'tuin', level: 'lead' }, { skill: 'klussen', level: 'independent' }, { skill: 'algemeen', level: 'independent' }],
        availability: weekdays([1, 2, 3, 4, 5], '08:00', '16:30'),
      },
      {
        name: 'Mohamed Ouali', contract: 'benefit', capHours: 20, buurt: 'Geeren-Noord', coach: dispatcher.id, startedOn: '2024-09-01',
        skills: [{ skill: 'tuin', level: 'independent' }, { skill: 'verhuizen', level: 'independent' }, { skill: 'schoonmaak', level: 'learning' }],
        availability: weekdays([1, 2, 3, 4], '09:00', '15:00'),
      },
      {
        name: 'Ineke Vermeulen', contract: 'volunteer', buurt: 'Heusdenhout', coach: dispatcher.id, startedOn: '2023-05-15',
        skills: [{ skill: 'woonzorg', level: 'lead' }, { skill: 'algemeen', level: 'lead' }, { skill: 'formulieren', level: 'independent' }],
        availability: [...weekdays([2, 4], '10:00', '14:00'), ...weekdays([3], '13:00', '17:00')],
      },
      {
        name: 'Jordy Martens', contract: 'trainee', buurt: 'Doornbos-Linie', coach: admin.id, startedOn: '2026-09-01',
        skills: [{ skill: 'tuin', level: 'learning' }, { skill: 'klussen', level: 'learning' }, { skill: 'beveiliging', level: 'independent' }],
        availability: weekdays([1, 2, 3, 4, 5], '08:00', '17:00'),
      },
      {
        name: 'Fatma Kaya', contract: 'paid', buurt: 'Geeren-Zuid', coach: dispatcher.id, startedOn: '2022-02-01',
        skills: [{ skill: 'schoonmaak', level: 'lead' }, { skill: 'strijken', level: 'lead' }, { skill: 'vrouwenstudio', level: 'lead' }, { skill: 'woonzorg', level: 'independent' }],
        availability: [...weekdays([1, 2, 3, 4, 5], '09:00', '13:00'), ...weekdays([6], '10:00', '14:00')],
      },
      {
        name: 'Dennis Peeters', contract: 'benefit', capHours: 16, buurt: 'Hoge Vucht', coach: admin.id, startedOn: '2025-11-01',
        skills: [{ skill: 'verhuizen', level: 'lead' }, { skill: 'beveiliging', level: 'lead' }, { skill: 'klussen', level: 'independent' }, { skill: 'tuin', level: 'independent' }],
        availability: weekdays([1, 3, 5], '08:00', '16:00'),
      },
    ];
    for (const w of workerSeeds) {
      const userId = w.userId ?? (await tx.insertInto('users').values({ programme_id: breda.id, role: 'worker', display_name: w.name, created_by: admin.id }).returning('id').executeTakeFirstOrThrow()).id;
      await createWorker(tx, {
        programmeId: breda.id, userId, contract: w.contract, weeklyCapMinutes: w.capHours === undefined ? null : w.capHours * 60,
        homeBuurtId: breda.buurten[w.buurt] ?? null, coachId: w.coach, startedOn: w.startedOn,
      });
      await setSkills(tx, breda.id, userId, w.skills);
      await setAvailability(tx, breda.id, userId, w.availability);
    }

    const utrechtHousehold = await household(utrecht.id, utrecht.buurten['Tigris en Zamenhofdreef'], { name: 'Fam. Bakker', street: 'Zamenhofdreef', nr: 101, postcode: '3562JX', city: 'Utrecht', phone: '030 261 00 44' });
    await resident(utrecht.id, utrechtHousehold.id, 'bewoner.utrecht@example.nl', 'Henk Bakker');
  });
  return true;
}
