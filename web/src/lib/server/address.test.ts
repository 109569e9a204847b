import { describe, expect, it } from 'vitest';
import { readAddress } from './address';

const messages = { phoneInvalid: 'phone', streetRequired: 'street', houseNumberInvalid: 'number', houseNumberSuffixInvalid: 'suffix', cityRequired: 'city' };
const form = (entries: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(entries)) f.set(k, v);
  return f;
};

describe('readAddress', () => {
  it('gives the API body for a complete address, with the postcode normalised and empty optional fields left out', () => {
    const r = readAddress(form({ street: ' Wisselaan ', houseNumber: '12', postcode: '4823 ab', city: 'Breda', phone: '', houseNumberSuffix: '' }), 'nl', messages);
    expect(r.errors).toEqual({});
    expect(r.body).toEqual({ street: 'Wisselaan', houseNumber: 12, postcode: '4823AB', city: 'Breda' });
  });

  it('names every missing or wrong field, keeps what was typed, and gives no body', () => {
    const r = readAddress(form({ street: '', houseNumber: '12a', postcode: '4823', city: '', phone: 'abc', houseNumberSuffix: 'x'.repeat(11) }), 'nl', messages);
    expect(r.errors).toMatchObject({ street: 'street', houseNumber: 'number', city: 'city', phone: 'phone', houseNumberSuffix: 'suffix' });
    expect(r.errors.postcode).toMatch(/postcode/i);
    expect(r.values.houseNumber).toBe('12a');
    expect(r.body).toBeNull();
  });
});
