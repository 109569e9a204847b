import { describe, expect, it } from 'vitest';
import { en } from './en';
import { nl } from './nl';
import { dictionary, formatCheques, formatDuration, parseLocale } from './index';

/** Every key path of a dictionary, e.g. "home.cards.wallet.title". */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keyPaths(child, prefix ? `${prefix}.${key}` : key));
}

describe('dictionaries', () => {
  it('English has exactly the keys of Dutch', () => {
    expect(keyPaths(en).sort()).toEqual(keyPaths(nl).sort());
  });

  it('has no empty texts', () => {
    for (const dict of [nl, en]) {
      for (const path of keyPaths(dict)) {
        const value = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], dict);
        if (typeof value === 'string') expect(value.trim(), path).not.toBe('');
      }
    }
  });
});

describe('parseLocale', () => {
  it('accepts only the supported languages', () => {
    expect(parseLocale('nl')).toBe('nl');
    expect(parseLocale('en')).toBe('en');
    expect(parseLocale('de')).toBeNull();
    expect(parseLocale(undefined)).toBeNull();
  });
});

describe('formatDuration', () => {
  it('says minutes below an hour and hours from an hour on', () => {
    expect(formatDuration(45, 'nl')).toBe('45 minuten');
    expect(formatDuration(60, 'nl')).toBe('1 uur');
    expect(formatDuration(90, 'nl')).toBe('1,5 uur');
    expect(formatDuration(60, 'en')).toBe('1 hour');
    expect(formatDuration(150, 'en')).toBe('2.5 hours');
  });

  it('counts worker-minutes as cheques', () => {
    expect(formatCheques(360, 'nl')).toBe('6');
    expect(formatCheques(90, 'nl')).toBe('1,5');
  });

  it('returns the dictionary of a locale', () => {
    expect(dictionary('en').nav.logout).toBe('Log out');
  });
});
