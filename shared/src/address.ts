/** Dutch postcodes ('4823 AB') and KvK numbers. */

const POSTCODE = /^([1-9][0-9]{3})\s?([A-Za-z]{2})$/;
// PostNL never issues the letter pairs SA, SD and SS.
const UNUSED_LETTERS = new Set(['SA', 'SD', 'SS']);

/** '4823 ab' → '4823AB'; null when it is not a Dutch postcode. */
export function normalisePostcode(input: string): string | null {
  const m = POSTCODE.exec(input.trim());
  if (!m) return null;
  const letters = m[2]!.toUpperCase();
  if (UNUSED_LETTERS.has(letters)) return null;
  return `${m[1]}${letters}`;
}

/** '4823AB' → '4823 AB' for display. */
export function formatPostcode(postcode: string): string {
  return postcode.length === 6 ? `${postcode.slice(0, 4)} ${postcode.slice(4)}` : postcode;
}

/**
 * The longest prefix of `postcode` in `prefixes` ('4823' or '4823AB'), or undefined.
 * A programme's area is a set of such prefixes.
 */
export function longestPostcodePrefix<T extends { prefix: string }>(postcode: string, areas: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const area of areas) {
    if (postcode.startsWith(area.prefix) && (!best || area.prefix.length > best.prefix.length)) best = area;
  }
  return best;
}

/** A KvK (Chamber of Commerce) number has exactly 8 digits. */
export function isKvkNumber(input: string): boolean {
  return /^[0-9]{8}$/.test(input);
}
