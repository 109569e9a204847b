import type { Insertable } from 'kysely';
import type { Services } from '../schema.js';

/** The ten Buurtservice services of Werk aan de Wijk (DOMAIN.md, slide 21): a new programme's starting catalogue. */
export const DEFAULT_SERVICES: Omit<Insertable<Services>, 'programme_id'>[] = [
  {
    code: 'buurtservice', required_skill: 'algemeen', location: 'customer_address', default_duration_minutes: 120, min_workers: 1, max_workers: 2,
    name_nl: 'Buurtservice', name_en: 'Neighbourhood help',
    description_nl: 'Hulp bij kleine dingen in en om het huis, zoals een boodschap of iets ophalen.',
    description_en: 'Help with small things in and around the house, such as shopping or collecting something.',
  },
  {
    code: 'tuindienst', required_skill: 'tuin', location: 'customer_address', default_duration_minutes: 180, min_workers: 1, max_workers: 4,
    name_nl: 'Tuindienst', name_en: 'Garden service',
    description_nl: 'Wij maaien het gras, snoeien de heg en maken de tuin netjes.',
    description_en: 'We mow the lawn, trim the hedge and tidy the garden.',
  },
  {
    code: 'schoonmaakdienst', required_skill: 'schoonmaak', location: 'customer_address', default_duration_minutes: 180, min_workers: 1, max_workers: 3,
    name_nl: 'Schoonmaakdienst', name_en: 'Cleaning service',
    description_nl: 'Wij maken uw huis schoon: stofzuigen, dweilen, keuken en badkamer.',
    description_en: 'We clean your home: vacuuming, mopping, kitchen and bathroom.',
  },
  {
    code: 'woonzorgdienst', required_skill: 'woonzorg', location: 'customer_address', default_duration_minutes: 120, min_workers: 1, max_workers: 1,
    name_nl: 'Woonzorgdienst', name_en: 'Help at home',
    description_nl: 'Hulp thuis voor ouderen: samen boodschappen doen, gezelschap, kleine klusjes.',
    description_en: 'Help at home for older residents: shopping together, company, small tasks.',
  },
  {
    code: 'beveiligingsservice', required_skill: 'beveiliging', location: 'customer_address', default_duration_minutes: 240, min_workers: 2, max_workers: 4,
    name_nl: 'Beveiligingsservice', name_en: 'Security rounds',
    description_nl: 'Toezicht en rondes bij gebouwen en evenementen in de wijk.',
    description_en: 'Supervision and rounds at buildings and events in the neighbourhood.',
  },
  {
    code: 'verhuisdienst', required_skill: 'verhuizen', location: 'customer_address', default_duration_minutes: 240, min_workers: 2, max_workers: 6,
    name_nl: 'Verhuisdienst', name_en: 'Moving service',
    description_nl: 'Hulp bij verhuizen: inpakken, dragen en meubels in elkaar zetten.',
    description_en: 'Help with moving: packing, carrying and putting furniture together.',
  },
  {
    code: 'klussendienst', required_skill: 'klussen', location: 'customer_address', default_duration_minutes: 120, min_workers: 1, max_workers: 2,
    name_nl: 'Klussendienst', name_en: 'Odd jobs',
    description_nl: 'Kleine klussen: een lamp ophangen, een kastje maken, een kraan vervangen.',
    description_en: 'Small jobs: hanging a lamp, fixing a cupboard, replacing a tap.',
  },
  {
    code: 'formulierenbrigade', required_skill: 'formulieren', location: 'service_point', default_duration_minutes: 60, min_workers: 1, max_workers: 1,
    name_nl: 'Formulierenbrigade', name_en: 'Form brigade',
    description_nl: 'Hulp bij formulieren en brieven, bijvoorbeeld van de gemeente of de belasting.',
    description_en: 'Help with forms and letters, for example from the council or the tax office.',
  },
  {
    code: 'vrouwenstudio', required_skill: 'vrouwenstudio', location: 'service_point', default_duration_minutes: 60, min_workers: 1, max_workers: 1,
    name_nl: 'Vrouwenstudio', name_en: "Women's studio",
    description_nl: 'Een plek voor vrouwen uit de wijk: kappen, verzorging en elkaar ontmoeten.',
    description_en: 'A place for women from the neighbourhood: hairdressing, care and meeting each other.',
  },
  {
    code: 'strijkservice', required_skill: 'strijken', location: 'service_point', default_duration_minutes: 60, min_workers: 1, max_workers: 1,
    name_nl: 'Strijkservice', name_en: 'Ironing service',
    description_nl: 'Breng uw was naar het servicepunt. Wij strijken het en u haalt het weer op.',
    description_en: 'Bring your laundry to the service point. We iron it and you collect it.',
  },
];
