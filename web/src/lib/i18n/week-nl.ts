/** Dutch texts of the dispatcher's week (hours scheduled, logged and confirmed; the exceptions). Part of `nl`. */

const things = (n: number) => (n === 1 ? '1 ding' : `${n} dingen`);

export const weekNl = {
  title: (week: number, from: string, until: string) => `Uren van week ${week}: ${from} tot en met ${until}`,
  boardLink: 'Uren van deze week',
  navLabel: 'Kies een week',
  previousWeek: 'Vorige week',
  thisWeek: 'Deze week',
  nextWeek: 'Volgende week',
  sections: 'Op deze pagina',
  skipExceptions: 'Naar wat u moet nakijken',
  skipWorkers: 'Naar de uren per medewerker',
  exceptionsTitle: 'Nakijken',
  exceptionsCount: (n: number) => (n === 0 ? 'Alles klopt. Er is niets om na te kijken.' : `${things(n)} om na te kijken.`),
  kinds: {
    missing_check_out: 'Niet uitgecheckt',
    over_cap: 'Meer uren dan toegestaan',
    open_dispute: 'Klant is het niet eens met de uren',
    no_hours: 'Geen uren doorgegeven',
  },
  details: {
    missing_check_out: (worker: string, time: string) => `${worker} checkte in om ${time}, maar is niet uitgecheckt.`,
    over_cap: (worker: string, extra: string) => `${worker} werkte ${extra} meer dan de uitkering per week toestaat. U bevestigt deze uren zelf.`,
    open_dispute: (reason: string) => `De klant zegt: "${reason}"`,
    no_hours: (worker: string) => `${worker} heeft nog geen uren doorgegeven.`,
  },
  someone: 'De medewerker',
  when: 'Wanneer',
  customer: 'Klant',
  worker: 'Medewerker',
  openJob: (customer: string) => `Naar de klus bij ${customer}`,
  workersTitle: 'Uren per medewerker',
  workersHelp: 'Ingepland: de klussen van deze week. Doorgegeven: de uren die de medewerker doorgaf. Bevestigd: de uren die de klant betaalt.',
  workersNone: 'Er zijn geen medewerkers.',
  tableCaption: (week: number) => `Uren per medewerker in week ${week}`,
  scheduled: 'Ingepland',
  logged: 'Doorgegeven',
  confirmed: 'Bevestigd',
  total: 'Totaal',
  cap: (hours: string) => `hoogstens ${hours} per week`,
  overCap: 'meer dan toegestaan',
};
