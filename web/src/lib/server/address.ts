import { errorMessage, normalisePostcode, type Locale } from '@buurtservice/shared';
import { text } from './forms';

/** The address part of a form, shared by a resident registering and staff creating a household. */
export const ADDRESS_FIELDS = ['phone', 'street', 'houseNumber', 'houseNumberSuffix', 'postcode', 'city'] as const;
export type AddressField = (typeof ADDRESS_FIELDS)[number];

export const PHONE_PATTERN = /^\+?[0-9][0-9 ()-]{5,19}$/;

/** The messages differ by who fills the form in ("uw straat" for a resident, "de straat" for staff). */
export interface AddressMessages {
  phoneInvalid: string;
  streetRequired: string;
  houseNumberInvalid: string;
  houseNumberSuffixInvalid: string;
  cityRequired: string;
}

/** What the API takes for an address. */
export interface AddressBody {
  phone?: string;
  street: string;
  houseNumber: number;
  houseNumberSuffix?: string;
  postcode: string;
  city: string;
}

/**
 * Reads and checks the address fields: `values` as typed (to refill the form), the errors per
 * field, and the API's body when the address is complete.
 */
export function readAddress(form: FormData, locale: Locale, m: AddressMessages) {
  const values = Object.fromEntries(ADDRESS_FIELDS.map((f) => [f, text(form, f)])) as Record<AddressField, string>;
  const errors: Partial<Record<AddressField, string>> = {};
  if (values.phone && !PHONE_PATTERN.test(values.phone)) errors.phone = m.phoneInvalid;
  if (!values.street) errors.street = m.streetRequired;
  const houseNumber = /^[0-9]{1,5}$/.test(values.houseNumber) ? Number(values.houseNumber) : 0;
  if (houseNumber < 1) errors.houseNumber = m.houseNumberInvalid;
  if (values.houseNumberSuffix.length > 10) errors.houseNumberSuffix = m.houseNumberSuffixInvalid;
  const postcode = normalisePostcode(values.postcode);
  if (!postcode) errors.postcode = errorMessage('postcode_invalid', locale);
  if (!values.city) errors.city = m.cityRequired;
  const body: AddressBody | null = postcode && Object.keys(errors).length === 0
    ? {
        ...(values.phone ? { phone: values.phone } : {}),
        street: values.street,
        houseNumber,
        ...(values.houseNumberSuffix ? { houseNumberSuffix: values.houseNumberSuffix } : {}),
        postcode,
        city: values.city,
      }
    : null;
  return { values, errors, body };
}
