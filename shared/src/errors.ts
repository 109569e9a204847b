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
