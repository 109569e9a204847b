import { describe, expect, it } from 'vitest';
import { apiFormFailed, idempotencyKeyOf, isoDateOf, isUuid, newIdempotencyKey, uuidOr404, wholeNumber } from './forms';
import { dayMonthYear } from '../forms';

function formWith(entries: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(entries)) form.set(name, value);
  return form;
}

describe('idempotency keys', () => {
  it('are fresh for every form rendering and acceptable to the API', () => {
    const a = newIdempotencyKey();
    expect(a).not.toBe(newIdempotencyKey());
    expect(a).toMatch(/^[A-Za-z0-9_.:-]{8,200}$/);
  });

  it('come back from the form as they were sent, so a retry is recognised', () => {
    const key = newIdempotencyKey();
    expect(idempotencyKeyOf(formWith({ idempotencyKey: key }))).toBe(key);
  });

  it('are replaced when missing or not what the API accepts', () => {
    expect(idempotencyKeyOf(formWith({}))).toMatch(/^web-/);
    expect(idempotencyKeyOf(formWith({ idempotencyKey: 'kort' }))).toMatch(/^web-/);
    expect(idempotencyKeyOf(formWith({ idempotencyKey: 'met spatie en ;' }))).toMatch(/^web-/);
  });
});

describe('wholeNumber', () => {
  it('takes whole numbers within the range', () => {
    expect(wholeNumber('5', 1, 100)).toBe(5);
    expect(wholeNumber('100', 1, 100)).toBe(100);
  });
  it('refuses the rest', () => {
    for (const value of ['', '0', '101', '2,5', '-1', '1e3', 'vijf']) expect(wholeNumber(value, 1, 100), value).toBeNull();
  });
});

describe('isoDateOf', () => {
  it('reads the date picker and the Dutch way of writing a date', () => {
    expect(isoDateOf('2027-12-31')).toBe('2027-12-31');
    expect(isoDateOf('31-12-2027')).toBe('2027-12-31');
    expect(isoDateOf('1/2/2028')).toBe('2028-02-01');
    expect(isoDateOf('29.02.2028')).toBe('2028-02-29');
  });
  it('refuses days that do not exist', () => {
    for (const value of ['31-02-2027', '29-02-2027', '2027-13-01', '12-2027', '', 'morgen']) expect(isoDateOf(value), value).toBeNull();
  });
  it('round-trips with the form value', () => {
    expect(dayMonthYear('2027-12-31')).toBe('31-12-2027');
    expect(isoDateOf(dayMonthYear('2030-06-01'))).toBe('2030-06-01');
  });
});

describe('isUuid', () => {
  it('accepts only ids as the API makes them', () => {
    expect(isUuid('0b4e2d0c-8c1a-4f7e-9a51-2f2f1e1d9c3a')).toBe(true);
    expect(isUuid('urn:uuid:0b4e2d0c-8c1a-4f7e-9a51-2f2f1e1d9c3a')).toBe(false);
    expect(isUuid('../../admin')).toBe(false);
    expect(isUuid(null)).toBe(false);
  });
});

describe('failed forms', () => {
  it('puts an API refusal on the field it names, else as the form message, with a 4xx status', () => {
    const onField = apiFormFailed('absence', 409, 'absence_overlaps', 'nl', { note: 'x' }, { absence_overlaps: 'absenceFrom' });
    expect(onField.status).toBe(409);
    expect(onField.data).toEqual({ form: 'absence', values: { note: 'x' }, errors: { absenceFrom: 'Er is dan al een afwezigheid.' } });
    const onForm = apiFormFailed('trajectory', 500, 'internal_error', 'en', {});
    expect(onForm.status).toBe(503);
    expect(onForm.data).toEqual({ form: 'trajectory', values: {}, errors: {}, message: 'Something went wrong on our side. Please try again later.' });
  });

  it('lets only a UUID through as an id; anything else is not found', () => {
    const id = '6f1c1c9e-3b6a-4c1e-9d5e-2a8f0b7c4d21';
    expect(uuidOr404(id, 'nl')).toBe(id);
    expect(() => uuidOr404('../admin', 'nl')).toThrow(expect.objectContaining({ status: 404 }));
  });
});
