import type { Dictionary } from './nl';

const things = (n: number) => (n === 1 ? '1 thing' : `${n} things`);

export const weekEn: Dictionary['hoursWeek'] = {
  title: (week: number, from: string, until: string) => `Hours of week ${week}: ${from} to ${until}`,
  boardLink: "This week's hours",
  navLabel: 'Choose a week',
  previousWeek: 'Previous week',
  thisWeek: 'This week',
  nextWeek: 'Next week',
  sections: 'On this page',
  skipExceptions: 'To what needs checking',
  skipWorkers: 'To the hours per worker',
  exceptionsTitle: 'To check',
  exceptionsCount: (n: number) => (n === 0 ? 'All is well. There is nothing to check.' : `${things(n)} to check.`),
  kinds: {
    missing_check_out: 'Not checked out',
    over_cap: 'More hours than allowed',
    open_dispute: 'Customer disputes the hours',
    no_hours: 'No hours logged',
  },
  details: {
    missing_check_out: (worker: string, time: string) => `${worker} checked in at ${time} but did not check out.`,
    over_cap: (worker: string, extra: string) => `${worker} worked ${extra} more than the benefit allows per week. You confirm these hours yourself.`,
    open_dispute: (reason: string) => `The customer says: "${reason}"`,
    no_hours: (worker: string) => `${worker} has not logged any hours yet.`,
  },
  someone: 'The worker',
  when: 'When',
  customer: 'Customer',
  worker: 'Worker',
  openJob: (customer: string) => `To the job for ${customer}`,
  workersTitle: 'Hours per worker',
  workersHelp: 'Scheduled: the jobs of this week. Logged: the hours the worker logged. Confirmed: the hours the customer pays for.',
  workersNone: 'There are no workers.',
  tableCaption: (week: number) => `Hours per worker in week ${week}`,
  scheduled: 'Scheduled',
  logged: 'Logged',
  confirmed: 'Confirmed',
  total: 'Total',
  cap: (hours: string) => `at most ${hours} a week`,
  overCap: 'more than allowed',
};
