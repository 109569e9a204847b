import { describe, expect, it } from 'vitest';
import { safeNext } from './redirect';

describe('safeNext', () => {
  it('keeps paths on this site', () => {
    expect(safeNext('/diensten')).toBe('/diensten');
    expect(safeNext('/home?x=1')).toBe('/home?x=1');
  });

  it('never sends someone to another site', () => {
    for (const evil of ['//evil.example', '/\\evil.example', 'https://evil.example', 'evil', '', null, undefined]) {
      expect(safeNext(evil, '/home')).toBe('/home');
    }
  });
});
