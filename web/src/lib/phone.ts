/** A phone number as written ("076 555 12 34", "+31 6 …") as a link that dials it: digits and + only. */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^0-9+]/g, '')}`;
}
