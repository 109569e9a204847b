import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPostcode, isKvkNumber, longestPostcodePrefix, normalisePostcode } from './address.js';

describe('normalisePostcode', () => {
  it.each([
    ['4823 AB', '4823AB'],
    ['4823ab', '4823AB'],
    [' 4823 ab ', '4823AB'],
    ['3562JX', '3562JX'],
  ])('%s → %s', (input, out) => expect(normalisePostcode(input)).toBe(out));

  it.each(['0823AB', '482AB', '4823 A', '4823 SA', '4823SS', '4823 SD', '48231AB', 'ABCD EF', '', '4823-AB'])('refuses %j', (input) => {
    expect(normalisePostcode(input)).toBeNull();
  });

  it('round-trips through formatPostcode', () => {
    const pc = fc.tuple(fc.integer({ min: 1000, max: 9999 }), fc.constantFrom(...'ABCDEFGHJKLMNPRTUVWXZ'), fc.constantFrom(...'ABCEFGHJKLMNPRTUVWXYZ'));
    fc.assert(fc.property(pc, ([n, a, b]) => {
      const normal = normalisePostcode(`${n}${a}${b}`);
      expect(normal).toBe(`${n}${a}${b}`);
      expect(normalisePostcode(formatPostcode(normal!))).toBe(normal);
    }));
  });
});

describe('longestPostcodePrefix', () => {
  const areas = [{ prefix: '4823' }, { prefix: '4823AB' }, { prefix: '4824' }];
  it('prefers the longest matching prefix', () => {
    expect(longestPostcodePrefix('4823AB', areas)?.prefix).toBe('4823AB');
    expect(longestPostcodePrefix('4823AC', areas)?.prefix).toBe('4823');
    expect(longestPostcodePrefix('4825AA', areas)).toBeUndefined();
  });
});

describe('isKvkNumber', () => {
  it('takes exactly 8 digits', () => {
    expect(isKvkNumber('20123456')).toBe(true);
    expect(isKvkNumber('2012345')).toBe(false);
    expect(isKvkNumber('201234567')).toBe(false);
    expect(isKvkNumber('2012345a')).toBe(false);
  });
});
