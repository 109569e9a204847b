import type { Dictionary } from './nl';

/** 322 → "5 hours and 22 minutes", 0 → "0 hours": exact, never a decimal. */
const hoursText = (minutes: number) => {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const mins = m === 1 ? '1 minute' : `${m} minutes`;
  if (minutes === 0) return '0 hours';
  if (h === 0) return mins;
  const hours = h === 1 ? '1 hour' : `${h} hours`;
  return m === 0 ? hours : `${hours} and ${mins}`;
};

export const experienceEn: Dictionary['experience'] = {
  hours: hoursText,
  jobs: (n: number) => (n === 1 ? '1 job' : `${n} jobs`),
  statuses: {
    active: 'In progress',
    completed: 'Programme completed',
    stopped_early: 'Stopped early',
    subsidised_work: 'Working with a wage subsidy',
    regular_work: 'Working in a regular job',
  },
  record: {
    totalTitle: 'Hours worked',
    total: (hours: string) => `In total: ${hours}`,
    totalHelp: 'The hours really worked, on jobs the customer confirmed.',
    noHours: 'No confirmed hours yet.',
    servicesTitle: 'Per service',
    service: 'Service',
    hoursColumn: 'Hours',
    jobsColumn: 'Jobs',
    monthsTitle: 'Per month',
    month: 'Month',
    certificatesTitle: 'Certificates',
    noCertificates: 'No certificates yet.',
    issuedBy: (issuer: string, date: string) => `From ${issuer}, ${date}`,
    trajectoryTitle: 'Pathway',
    status: 'Where you are now',
    statusOf: 'Pathway status',
    since: (date: string) => `Since ${date}`,
    historyTitle: 'All steps',
    historyBy: (name: string, date: string) => `${name}, ${date}`,
  },
  own: {
    title: 'My work experience',
    intro: 'Here you see what you did at the Buurtservice. Show the statement to an employer.',
    startedOn: (date: string) => `You have worked with us since ${date}.`,
    pdf: 'Download statement (pdf)',
    pdfHelp: 'A statement with your hours and certificates. Without your contract or benefit.',
  },
  feed: {
    title: 'My jobs in my calendar',
    intro: 'Put your jobs in the calendar on your phone. New and changed jobs are added by themselves.',
    none: 'You have no calendar link yet.',
    since: (date: string) => `You have had a calendar link since ${date}.`,
    make: 'Make a calendar link',
    remake: 'Make a new calendar link',
    remakeHelp: 'The old link then stops working.',
    made: 'Your calendar link is ready. You only see it now: copy it or open it straight away.',
    link: 'Your calendar link',
    linkHelp: 'Copy this link and paste it into your calendar app under "Add calendar from the internet".',
    open: 'Open in my calendar app',
    keepSecret: 'Share this link with nobody: whoever has it sees your jobs.',
    revoke: 'Stop the calendar link',
    revoked: 'The calendar link no longer works.',
  },
  coach: {
    title: (name: string) => `Work experience of ${name}`,
    nav: 'Work experience',
    back: (name: string) => `Back to ${name}`,
    pdf: 'Download statement (pdf)',
    readOnly: 'Only the coach and the admin can change certificates and the pathway.',
    addCertificate: 'Add a certificate',
    certificateName: 'Name of the certificate',
    issuer: 'Issued by',
    issuedOn: 'Date',
    issuedOnHint: 'For example 12-10-2026.',
    add: 'Add',
    remove: 'Remove',
    removeLabel: (name: string) => `Remove certificate ${name}`,
    certificateAdded: 'The certificate was added.',
    certificateRemoved: 'The certificate was removed.',
    setStatus: 'Change the pathway status',
    newStatus: 'New status',
    note: 'Note',
    noteHint: 'For example where the worker is going to work.',
    save: 'Save',
    statusSaved: 'The pathway status was saved.',
    errors: {
      nameRequired: 'Enter the name of the certificate.',
      issuerRequired: 'Enter who issued the certificate.',
      tooLong: (max: number) => `Use at most ${max} characters.`,
      dateInvalid: 'Enter a date, for example 12-10-2026.',
      dateInFuture: 'This date is in the future.',
      statusRequired: 'Choose the new status.',
    },
  },
  booking: {
    addToCalendar: 'Add to my calendar',
    addToCalendarHelp: 'Download a file for the calendar on your phone or computer.',
  },
};
