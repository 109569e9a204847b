/** Dutch texts of the dispatchers' call list (messages that reached no one). Part of `nl`. */

export const callsNl = {
  title: 'Bellijst',
  intro: 'Deze berichten kwamen bij niemand aan. Bel de persoon en vertel wat er in het bericht staat. Zet het bericht daarna op gebeld.',
  count: (n: number) => (n === 0 ? 'Er is niemand om te bellen.' : n === 1 ? '1 bericht om door te bellen.' : `${n} berichten om door te bellen.`),
  reasons: {
    no_email: 'Geen e-mailadres',
    not_delivered: 'E-mail kwam niet aan',
  },
  kinds: {
    household: 'Huishouden',
    organisation: 'Organisatie',
    user: 'Medewerker',
  },
  call: (phone: string) => `Bel ${phone}`,
  noPhone: 'Geen telefoonnummer bekend.',
  message: 'Bericht',
  since: (day: string) => `Sinds ${day}`,
  fullText: 'Lees het hele bericht',
  openJob: 'Naar de klus',
  openHousehold: 'Naar het huishouden',
  note: 'Wat is afgesproken? (mag leeg blijven)',
  done: 'Gebeld',
  doneLabel: (name: string) => `Gebeld met ${name}`,
  ticked: (name: string) => `${name} staat op gebeld.`,
  failed: 'Dat lukte niet. Probeer het nog eens.',
  boardNotice: (n: number) => (n === 1 ? '1 bericht kwam bij niemand aan. Bel de persoon.' : `${n} berichten kwamen bij niemand aan. Bel de mensen.`),
  boardLink: 'Naar de bellijst',
};
