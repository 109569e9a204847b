import { Type, type TProperties, type TSchema } from 'typebox';

/** An object that rejects unknown fields: a typo in a field name is an error, not silently ignored. */
export const Obj = <T extends TProperties>(properties: T, options: { description?: string; examples?: unknown[] } = {}) =>
  Type.Object(properties, { additionalProperties: false, ...options });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

// The pattern as well as the format: ajv's `uuid` format also accepts 'urn:uuid:…', which PostgreSQL
// refuses (a 500 instead of a 400).
export const Uuid = Type.String({ format: 'uuid', pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$', examples: ['0b4e2d0c-8c1a-4f7e-9a51-2f2f1e1d9c3a'] });
/** An instant, ISO 8601 with its offset. */
export const DateTime = Type.String({ format: 'date-time' });
export const IsoDate = Type.String({ format: 'date', description: 'Calendar date YYYY-MM-DD (Europe/Amsterdam)', examples: ['2026-12-01'] });
export const Email = Type.String({ format: 'email', maxLength: 254, examples: ['iemand@example.nl'] });
export const Password = Type.String({ minLength: 1, maxLength: 1024, description: '8 to 128 characters, not a common password' });
export const PostcodeInput = Type.String({ minLength: 6, maxLength: 7, description: 'Dutch postcode, e.g. 4823 AB', examples: ['4823 AB'] });
export const Name = Type.String({ minLength: 1, maxLength: 100 });
export const Phone = Type.String({ pattern: '^[0-9+() -]{6,20}$', examples: ['076 123 45 67'] });
export const Locale = Type.Union([Type.Literal('nl'), Type.Literal('en')]);
export const Role = Type.Union([
  Type.Literal('resident'), Type.Literal('organisation_member'), Type.Literal('dispatcher'),
  Type.Literal('worker'), Type.Literal('programme_admin'),
]);
export const Category = Type.Union([Type.Literal('resident'), Type.Literal('resident_city_pass'), Type.Literal('organisation')]);

export const ErrorBody = Obj(
  {
    code: Type.String({ description: 'Stable error code (shared/src/errors.ts)' }),
    message: Type.String({ description: "Message in the caller's language (Accept-Language)" }),
    fields: Type.Optional(Type.Array(Obj({ field: Type.String(), code: Type.String() }))),
  },
  { description: 'Error' },
);

export const IdParams = <K extends string>(...keys: K[]) =>
  Obj(Object.fromEntries(keys.map((k) => [k, Uuid])) as { [P in K]: typeof Uuid });

export const Address = {
  street: Type.String({ minLength: 1, maxLength: 100 }),
  houseNumber: Type.Integer({ minimum: 1, maximum: 99999 }),
  houseNumberSuffix: Type.Optional(Type.String({ maxLength: 10, pattern: '^[A-Za-z0-9 -]*$' })),
  postcode: PostcodeInput,
  city: Type.String({ minLength: 1, maxLength: 60 }),
};

/** A worker's contract. */
export const Contract = Type.Union([Type.Literal('paid'), Type.Literal('volunteer'), Type.Literal('benefit'), Type.Literal('trainee')]);
