/** Dutch texts of the work-experience record and the calendar links (issue 5). Part of `nl`. */
import type { TrajectoryStatus } from '../api/experience';

/** 322 → "5 uur en 22 minuten", 0 → "0 uur": exact, never a decimal. */
const hoursText = (minutes: number) => {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (minutes === 0) return '0 uur';
  if (h === 0) return m === 1 ? '1 minuut' : `${m} minuten`;
  return m === 0 ? `${h} uur` : `${h} uur en ${m} ${m === 1 ? 'minuut' : 'minuten'}`;
};

export const experienceNl = {
  hours: hoursText,
  jobs: (n: number) => (n === 1 ? '1 klus' : `${n} klussen`),
  statuses: {
    active: 'Bezig',
    completed: 'Traject afgerond',
    stopped_early: 'Eerder gestopt',
    subsidised_work: 'Aan het werk met loonsubsidie',
    regular_work: 'Aan het werk in een gewone baan',
  } satisfies Record<TrajectoryStatus, string>,
  record: {
    totalTitle: 'Gewerkte uren',
    total: (hours: string) => `In totaal: ${hours}`,
    totalHelp: 'De uren die echt gewerkt zijn, bij klussen die de klant heeft bevestigd.',
    noHours: 'Nog geen bevestigde uren.',
    servicesTitle: 'Per dienst',
    service: 'Dienst',
    hoursColumn: 'Uren',
    jobsColumn: 'Klussen',
    monthsTitle: 'Per maand',
    month: 'Maand',
    certificatesTitle: 'Certificaten',
    noCertificates: 'Nog geen certificaten.',
    issuedBy: (issuer: string, date: string) => `Van ${issuer}, ${date}`,
    trajectoryTitle: 'Traject',
    status: 'Waar u nu staat',
    statusOf: 'Stand van het traject',
    since: (date: string) => `Sinds ${date}`,
    historyTitle: 'Alle stappen',
    historyBy: (name: string, date: string) => `${name}, ${date}`,
  },
  own: {
    title: 'Mijn werkervaring',
    intro: 'Hier ziet u wat u bij de Buurtservice gedaan heeft. Met de verklaring laat u dit zien aan een werkgever.',
    startedOn: (date: string) => `U werkt bij ons sinds ${date}.`,
    pdf: 'Verklaring downloaden (pdf)',
    pdfHelp: 'Een verklaring met uw uren en certificaten. Zonder uw contract of uitkering.',
  },
  feed: {
    title: 'Mijn klussen in mijn agenda',
    intro: 'Zet uw klussen in de agenda van uw telefoon. Nieuwe en gewijzigde klussen komen er vanzelf bij.',
    none: 'U heeft nog geen agenda-link.',
    since: (date: string) => `U heeft een agenda-link sinds ${date}.`,
    make: 'Agenda-link maken',
    remake: 'Nieuwe agenda-link maken',
    remakeHelp: 'De oude link werkt dan niet meer.',
    made: 'Uw agenda-link is klaar. U ziet hem alleen nu: kopieer hem of open hem meteen.',
    link: 'Uw agenda-link',
    linkHelp: 'Kopieer deze link en plak hem in uw agenda-app bij "Agenda toevoegen via internet".',
    open: 'Open in mijn agenda-app',
    keepSecret: 'Deel deze link met niemand: wie hem heeft, ziet uw klussen.',
    revoke: 'Agenda-link stoppen',
    revoked: 'De agenda-link werkt niet meer.',
  },
  coach: {
    title: (name: string) => `Werkervaring van ${name}`,
    nav: 'Werkervaring',
    back: (name: string) => `Terug naar ${name}`,
    pdf: 'Verklaring downloaden (pdf)',
    readOnly: 'Alleen de coach en de beheerder kunnen certificaten en het traject wijzigen.',
    addCertificate: 'Certificaat toevoegen',
    certificateName: 'Naam van het certificaat',
    issuer: 'Uitgegeven door',
    issuedOn: 'Datum',
    issuedOnHint: 'Bijvoorbeeld 12-10-2026.',
    add: 'Toevoegen',
    remove: 'Verwijderen',
    removeLabel: (name: string) => `Certificaat ${name} verwijderen`,
    certificateAdded: 'Het certificaat is toegevoegd.',
    certificateRemoved: 'Het certificaat is verwijderd.',
    setStatus: 'Stand van het traject wijzigen',
    newStatus: 'Nieuwe stand',
    note: 'Toelichting',
    noteHint: 'Bijvoorbeeld waar de medewerker gaat werken.',
    save: 'Opslaan',
    statusSaved: 'De stand van het traject is opgeslagen.',
    errors: {
      nameRequired: 'Vul de naam van het certificaat in.',
      issuerRequired: 'Vul in wie het certificaat heeft uitgegeven.',
      tooLong: (max: number) => `Gebruik hoogstens ${max} tekens.`,
      dateInvalid: 'Vul een datum in, bijvoorbeeld 12-10-2026.',
      dateInFuture: 'Deze datum ligt in de toekomst.',
      statusRequired: 'Kies de nieuwe stand.',
    },
  },
  booking: {
    addToCalendar: 'Zet in mijn agenda',
    addToCalendarHelp: 'Download een bestand voor de agenda op uw telefoon of computer.',
  },
};
