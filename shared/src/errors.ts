/**
 * Every error a user can meet: a stable code, an HTTP status, and a message in plain Dutch (B1)
 * and English. The API sends `{ code, message }` in the caller's language; the web shows the
 * message for the code in the page's language.
 */
export const ERRORS = {
  validation_failed: { status: 400, nl: 'Niet alle gegevens zijn goed ingevuld.', en: 'Some of the data is not valid.' },
  invalid_json: { status: 400, nl: 'Het verzoek is geen geldige JSON.', en: 'The request body is not valid JSON.' },
  unsupported_media_type: { status: 415, nl: 'Stuur de gegevens als JSON.', en: 'Send the data as JSON.' },
  payload_too_large: { status: 413, nl: 'Het verzoek is te groot.', en: 'The request is too large.' },
  unauthenticated: { status: 401, nl: 'Log eerst in.', en: 'Please log in first.' },
  token_invalid: { status: 401, nl: 'Uw sessie is verlopen. Log opnieuw in.', en: 'Your session has expired. Please log in again.' },
  forbidden: { status: 403, nl: 'U mag dit niet doen.', en: 'You are not allowed to do this.' },
  not_found: { status: 404, nl: 'Niet gevonden.', en: 'Not found.' },
  route_not_found: { status: 404, nl: 'Deze pagina bestaat niet.', en: 'This address does not exist.' },
  method_not_allowed: { status: 405, nl: 'Deze actie kan hier niet.', en: 'This method is not allowed here.' },
  invalid_credentials: { status: 401, nl: 'E-mailadres of wachtwoord klopt niet.', en: 'Email address or password is incorrect.' },
  too_many_attempts: { status: 429, nl: 'Te veel pogingen. Probeer het later opnieuw.', en: 'Too many attempts. Please try again later.' },
  refresh_invalid: { status: 401, nl: 'Uw sessie is verlopen. Log opnieuw in.', en: 'Your session has expired. Please log in again.' },
  refresh_reused: { status: 401, nl: 'Uw sessie is om veiligheidsredenen beëindigd. Log opnieuw in.', en: 'Your session was ended for your safety. Please log in again.' },
  email_taken: { status: 409, nl: 'Er is al een account met dit e-mailadres.', en: 'An account with this email address already exists.' },
  password_too_short: { status: 400, nl: 'Kies een wachtwoord van minstens 8 tekens.', en: 'Choose a password of at least 8 characters.' },
  password_too_long: { status: 400, nl: 'Kies een wachtwoord van hoogstens 128 tekens.', en: 'Choose a password of at most 128 characters.' },
  password_common: { status: 400, nl: 'Dit wachtwoord is te bekend. Kies een ander wachtwoord.', en: 'This password is too common. Choose another one.' },
  password_needs_email: {
    status: 422,
    nl: 'Een wachtwoord kan alleen samen met een e-mailadres. Vul ook het e-mailadres in, of laat het wachtwoord leeg.',
    en: 'A password only works together with an email address. Enter the email address too, or leave the password empty.',
  },
  postcode_invalid: { status: 400, nl: 'Vul een geldige postcode in, bijvoorbeeld 4823 AB.', en: 'Enter a valid Dutch postcode, for example 4823 AB.' },
  postcode_outside_area: {
    status: 422,
    nl: 'Uw postcode valt buiten het gebied van de Buurtservice. Bel of bezoek ons gerust voor advies.',
    en: 'Your postcode is outside the Buurtservice area. Feel free to call or visit us for advice.',
  },
  kvk_invalid: { status: 400, nl: 'Een KvK-nummer heeft 8 cijfers.', en: 'A KvK number has 8 digits.' },
  kvk_taken: { status: 409, nl: 'Deze organisatie bestaat al.', en: 'This organisation already exists.' },
  date_invalid: { status: 400, nl: 'Vul een geldige datum in.', en: 'Enter a valid date.' },
  workers_out_of_range: { status: 422, nl: 'Dit aantal medewerkers kan niet voor deze dienst.', en: 'This number of workers is not possible for this service.' },
  service_inactive: { status: 422, nl: 'Deze dienst is nu niet beschikbaar.', en: 'This service is not available now.' },
  tariff_missing: { status: 422, nl: 'Er is nog geen prijs voor deze datum.', en: 'There is no price for this date yet.' },
  tariff_exists: { status: 409, nl: 'Er is al een prijs vanaf deze datum.', en: 'A price from this date already exists.' },
  tariff_in_past: { status: 422, nl: 'Een nieuwe prijs kan niet in het verleden ingaan.', en: 'A new price cannot start in the past.' },
  customer_required: { status: 422, nl: 'Kies voor wie dit is.', en: 'Choose who this is for.' },
  idempotency_key_reused: {
    status: 422,
    nl: 'Deze Idempotency-Key is al gebruikt voor een ander verzoek.',
    en: 'This Idempotency-Key was already used for a different request.',
  },
  insufficient_balance: {
    status: 409,
    nl: 'Er staan niet genoeg dienstencheques in de portemonnee.',
    en: 'There are not enough service vouchers in the wallet.',
  },
  order_too_small: { status: 422, nl: 'Koop minstens het minimum aantal cheques.', en: 'Buy at least the minimum number of vouchers.' },
  order_too_large: { status: 422, nl: 'Dit zijn meer cheques dan u in één keer mag kopen.', en: 'This is more vouchers than you may buy at once.' },
  yearly_cap_reached: {
    status: 422,
    nl: 'U heeft dit jaar het maximum aantal cheques al gekocht.',
    en: 'You have already bought the maximum number of vouchers this year.',
  },
  undo_too_late: { status: 409, nl: 'Een verkoop kan alleen op dezelfde dag worden teruggedraaid.', en: 'A sale can only be undone on the same day.' },
  already_undone: { status: 409, nl: 'Deze verkoop is al teruggedraaid.', en: 'This sale has already been undone.' },
  cheques_already_used: {
    status: 409,
    nl: 'Een deel van deze cheques is al gebruikt. De verkoop kan niet worden teruggedraaid.',
    en: 'Some of these vouchers have been used. The sale cannot be undone.',
  },
  invoice_already_paid: { status: 409, nl: 'Deze factuur is al betaald.', en: 'This invoice has already been paid.' },
  online_payment_unavailable: {
    status: 409,
    nl: 'Online betalen kan hier (nog) niet. U kunt cheques kopen bij het servicepunt.',
    en: 'Online payment is not available here (yet). You can buy vouchers at the service point.',
  },
  payment_provider_unavailable: {
    status: 502,
    nl: 'De betaaldienst reageert nu niet. Probeer het over een paar minuten opnieuw.',
    en: 'The payment service is not responding. Please try again in a few minutes.',
  },
  webhook_signature_invalid: { status: 400, nl: 'Ongeldige handtekening.', en: 'Invalid signature.' },
  city_pass_missing: { status: 404, nl: 'Er is nog geen stadspas ingevuld.', en: 'No city pass has been entered yet.' },
  city_pass_expired: { status: 422, nl: 'Deze stadspas is verlopen.', en: 'This city pass has expired.' },
  // Bookings and dispatch (issue 4): the codes db/src/repositories/bookings.ts and workers.ts raise.
  booking_action_not_allowed: { status: 409, nl: 'Dit kan niet meer bij deze klus.', en: 'This is no longer possible for this job.' },
  worker_double_booked: { status: 409, nl: 'Deze medewerker werkt dan al ergens anders.', en: 'This worker is already working elsewhere at that time.' },
  worker_weekly_cap_exceeded: {
    status: 409,
    nl: 'Dan werkt deze medewerker meer uren dan deze week mag.',
    en: 'This would take the worker over the hours allowed this week.',
  },
  service_not_found: { status: 404, nl: 'Deze dienst bestaat niet.', en: 'This service does not exist.' },
  place_not_allowed: { status: 422, nl: 'Deze dienst kan niet op die plek.', en: 'This service cannot be done at that place.' },
  location_not_found: { status: 404, nl: 'Deze locatie bestaat niet.', en: 'This location does not exist.' },
  window_invalid: { status: 422, nl: 'Kies een periode van hoogstens een week.', en: 'Choose a period of at most one week.' },
  booking_fully_assigned: { status: 409, nl: 'Er zijn al genoeg medewerkers voor deze klus.', en: 'This job already has enough workers.' },
  worker_not_found: { status: 404, nl: 'Deze medewerker bestaat niet.', en: 'This worker does not exist.' },
  worker_inactive: { status: 422, nl: 'Deze medewerker is niet actief.', en: 'This worker is not active.' },
  worker_lacks_skill: { status: 422, nl: 'Deze medewerker kan dit werk (nog) niet doen.', en: 'This worker cannot do this work (yet).' },
  worker_absent: { status: 422, nl: 'Deze medewerker is dan afwezig.', en: 'This worker is absent at that time.' },
  worker_already_assigned: { status: 409, nl: 'Deze medewerker is al ingepland voor deze klus.', en: 'This worker is already assigned to this job.' },
  lead_required: { status: 422, nl: 'Een klus met meer medewerkers heeft iemand nodig die de leiding heeft.', en: 'A job with several workers needs someone who leads.' },
  lead_not_qualified: { status: 422, nl: 'Deze medewerker kan (nog) geen leiding geven bij dit werk.', en: 'This worker cannot lead this work (yet).' },
  lead_already_assigned: { status: 409, nl: 'Er is al iemand die de leiding heeft.', en: 'Someone already leads this job.' },
  start_required: { status: 422, nl: 'Kies eerst een begintijd.', en: 'Choose a start time first.' },
  start_outside_window: { status: 422, nl: 'Deze tijd valt buiten de gekozen periode.', en: 'This time is outside the chosen period.' },
  start_mismatch: { status: 409, nl: 'De tijd past niet bij de tijd van de klus.', en: 'The time does not match the time of the job.' },
  not_assigned: { status: 404, nl: 'Deze medewerker is niet ingepland voor deze klus.', en: 'This worker is not assigned to this job.' },
  not_a_worker_account: { status: 422, nl: 'Dit account is geen medewerker.', en: 'This account is not a worker.' },
  worker_exists: { status: 409, nl: 'Deze medewerker bestaat al.', en: 'This worker already exists.' },
  skill_listed_twice: { status: 400, nl: 'Een vaardigheid staat er twee keer in.', en: 'A skill is listed twice.' },
  weekly_cap_required: { status: 422, nl: 'Vul het aantal uren per week in dat mag.', en: 'Enter the hours per week that are allowed.' },
  weekly_cap_only_for_benefit: { status: 422, nl: 'Een maximum per week geldt alleen met behoud van uitkering.', en: 'A weekly maximum only applies to workers on a benefit.' },
  coach_not_staff: { status: 422, nl: 'Een coach is iemand van de staf.', en: 'A coach must be a staff member.' },
  buurt_not_found: { status: 404, nl: 'Deze buurt bestaat niet.', en: 'This neighbourhood does not exist.' },
  availability_overlaps: { status: 422, nl: 'Deze tijden overlappen.', en: 'These times overlap.' },
  absence_overlaps: { status: 409, nl: 'Er is dan al een afwezigheid.', en: 'There is already an absence at that time.' },
  range_invalid: { status: 400, nl: 'Het einde moet na het begin liggen.', en: 'The end must be after the start.' },
  start_in_past: { status: 422, nl: 'Kies een tijd in de toekomst.', en: 'Choose a time in the future.' },
  change_too_late: {
    status: 409,
    nl: 'Verzetten kan niet meer zo kort voor de klus. Bel ons als het echt nodig is.',
    en: 'It is too close to the job to change it. Please call us if you really need to.',
  },
  fee_waiver_needs_reason: { status: 422, nl: 'Schrijf op waarom er geen kosten worden gerekend.', en: 'Write down why no fee is charged.' },
  // Logged hours (issue 5): the codes db/src/repositories/time-entries.ts and shared/src/hours.ts raise.
  time_entry_invalid: {
    status: 400,
    nl: 'Deze tijden kloppen niet. Kijk het begin, het einde en de pauze na.',
    en: 'These times are not right. Check the start, the end and the break.',
  },
  time_entry_not_assigned: { status: 404, nl: 'U bent niet ingepland voor deze klus.', en: 'You are not assigned to this job.' },
  time_entry_overlaps: { status: 409, nl: 'U heeft op deze tijd al uren geschreven.', en: 'You have already logged hours at this time.' },
  time_entry_id_reused: {
    status: 422,
    nl: 'Deze uren zijn al eerder verstuurd met andere tijden. Vernieuw de pagina en kijk het na.',
    en: 'These hours were sent before with other times. Refresh the page and check them.',
  },
  check_in_open: { status: 409, nl: 'U bent al ingecheckt bij deze klus. Check eerst uit.', en: 'You are already checked in at this job. Check out first.' },
  check_in_not_found: { status: 404, nl: 'Deze incheck bestaat niet bij deze klus.', en: 'This check-in does not exist for this job.' },
  check_in_closed: {
    status: 409,
    nl: 'Bij deze incheck zijn de uren al geschreven. Vernieuw de pagina en kijk het na.',
    en: 'The hours of this check-in were already logged. Refresh the page and check them.',
  },
  hours_closed: {
    status: 409,
    nl: 'De uren van deze klus zijn al afgesloten. Bel de coördinator als er iets niet klopt.',
    en: 'The hours of this job are already closed. Please call the coordinator if something is wrong.',
  },
  // Confirmation and settlement (issue 5): the codes db/src/repositories/confirmation.ts raises.
  hours_need_dispatcher: {
    status: 409,
    nl: 'Deze uren zijn meer dan de medewerker per week mag werken. De coördinator kijkt ze na en keurt ze goed.',
    en: 'These hours are more than the worker may work in a week. The coordinator checks and confirms them.',
  },
  hours_worker_unknown: { status: 422, nl: 'Deze medewerker werkte niet aan deze klus.', en: 'This worker did not work on this job.' },
  hours_worker_listed_twice: { status: 400, nl: 'Een medewerker staat er twee keer in.', en: 'A worker is listed twice.' },
  internal_error: { status: 500, nl: 'Er ging iets mis bij ons. Probeer het later opnieuw.', en: 'Something went wrong on our side. Please try again later.' },
  not_ready: { status: 503, nl: 'De dienst is even niet beschikbaar.', en: 'The service is briefly unavailable.' },
} as const satisfies Record<string, { status: number; nl: string; en: string }>;

export type ErrorCode = keyof typeof ERRORS;
export type Locale = 'nl' | 'en';
export const LOCALES = ['nl', 'en'] as const;

export function errorMessage(code: string, locale: Locale): string {
  const entry = (ERRORS as Record<string, { nl: string; en: string }>)[code];
  return entry ? entry[locale] : ERRORS.internal_error[locale];
}
