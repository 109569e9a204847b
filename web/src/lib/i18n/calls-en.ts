import type { Dictionary } from './nl';

export const callsEn: Dictionary['calls'] = {
  title: 'Call list',
  intro: 'These messages reached no one. Call the person and tell them what the message says. Then mark the message as called.',
  count: (n: number) => (n === 0 ? 'There is no one to call.' : n === 1 ? '1 message to pass on by phone.' : `${n} messages to pass on by phone.`),
  reasons: {
    no_email: 'No e-mail address',
    not_delivered: 'E-mail did not arrive',
  },
  kinds: {
    household: 'Household',
    organisation: 'Organisation',
    user: 'Worker',
  },
  call: (phone: string) => `Call ${phone}`,
  noPhone: 'No phone number known.',
  message: 'Message',
  since: (day: string) => `Since ${day}`,
  fullText: 'Read the whole message',
  openJob: 'Go to the job',
  openHousehold: 'Go to the household',
  note: 'What was agreed? (may stay empty)',
  done: 'Called',
  doneLabel: (name: string) => `Called ${name}`,
  ticked: (name: string) => `${name} is marked as called.`,
  failed: 'That did not work. Please try again.',
  boardNotice: (n: number) => (n === 1 ? '1 message reached no one. Call the person.' : `${n} messages reached no one. Call the people.`),
  boardLink: 'Go to the call list',
};
