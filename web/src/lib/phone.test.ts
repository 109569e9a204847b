import { describe, expect, it } from 'vitest';
import { telHref } from './phone';

describe('telHref', () => {
  it('keeps only digits and +', () => {
    expect(telHref('076 555 12 34')).toBe('tel:0765551234');
    expect(telHref('+31 (0)6-1234 5678')).toBe('tel:+310612345678');
  });
});
