import { randomBytes, randomUUID } from 'node:crypto';
import { amsterdamDate } from '@buurtservice/shared';

/** The part of JSON Schema (as the API's TypeBox schemas and the OpenAPI document spell it) that the sampler reads. */
export interface JsonSchema {
  type?: string | string[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  minProperties?: number;
  items?: JsonSchema;
  minItems?: number;
  examples?: unknown[];
  example?: unknown;
}

let counter = 0;
const unique = () => `${++counter}-${randomBytes(3).toString('hex')}`;

/**
 * A value that satisfies `schema`: the smallest object (required properties, then optional ones
 * until `minProperties`), strings within their length, pattern and format, numbers within their
 * bounds. A property's own `examples[0]` is used when present, except for e-mail addresses, which
 * are made unique so that repeated sign-ups do not collide. Throws on a schema it cannot satisfy,
 * so a new kind of field is noticed instead of silently sent wrong.
 */
export function sampleFromSchema(schema: JsonSchema, path = ''): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants?.length) return sampleFromSchema(variants[0]!, path);
  if (schema.examples?.length && schema.format !== 'email') return schema.examples[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const props = schema.properties ?? {};
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) {
        const prop = props[key];
        if (!prop) throw new Error(`${path}/${key}: required but has no schema`);
        out[key] = sampleFromSchema(prop, `${path}/${key}`);
      }
      for (const [key, prop] of Object.entries(props)) {
        if (Object.keys(out).length >= (schema.minProperties ?? 0)) break;
        if (!(key in out)) out[key] = sampleFromSchema(prop, `${path}/${key}`);
      }
      return out;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, (_, i) => sampleFromSchema(schema.items ?? {}, `${path}/${i}`));
    case 'integer':
    case 'number':
      return sampleNumber(schema, type === 'integer', path);
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'string':
      return sampleString(schema, path);
    case undefined:
    default:
      throw new Error(`${path || '/'}: cannot build a value for schema ${JSON.stringify(schema)}`);
  }
}

function sampleNumber(schema: JsonSchema, integer: boolean, path: string): number {
  let low = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
  const high = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : Number.MAX_SAFE_INTEGER);
  if (integer) low = Math.ceil(low);
  if (schema.multipleOf) low = Math.ceil(low / schema.multipleOf) * schema.multipleOf;
  if (low > high) throw new Error(`${path}: no number between ${schema.minimum} and ${schema.maximum}`);
  return low;
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function sampleString(schema: JsonSchema, path: string): string {
  switch (schema.format) {
    case 'uuid':
      return randomUUID();
    case 'email':
      return `matrix-${unique()}@example.nl`;
    case 'date':
      // A date ahead: dates in the past are refused by most writes (tariffs, bookings).
      return addDays(amsterdamDate(), 30);
    case 'date-time':
      return new Date().toISOString();
    case undefined:
      break;
    default:
      throw new Error(`${path}: unknown string format '${schema.format}'`);
  }
  if (schema.pattern) {
    const value = stringForPattern(schema.pattern, schema.minLength ?? 0);
    if (!new RegExp(schema.pattern).test(value)) throw new Error(`${path}: built '${value}' that does not match ${schema.pattern}`);
    return value;
  }
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 60;
  let value = `matrix-${unique()}`;
  while (value.length < min) value += 'x';
  return value.slice(0, Math.max(min, Math.min(max, value.length)));
}

/**
 * A string matching a simple regular expression: anchors, literals, escapes (\d, \w, \s, \.),
 * character classes with ranges, and the quantifiers ?, *, +, {n}, {n,m}. Groups and
 * alternation are refused: the caller then fails with a clear message.
 */
export function stringForPattern(pattern: string, minLength = 0): string {
  let i = 0;
  const atoms: { chars: string; min: number; max: number }[] = [];
  const src = pattern;
  while (i < src.length) {
    const c = src[i]!;
    if ((c === '^' && i === 0) || (c === '$' && i === src.length - 1)) {
      i++;
      continue;
    }
    let chars: string;
    if (c === '[') {
      const end = src.indexOf(']', i + 2);
      if (end < 0) throw new Error(`pattern ${pattern}: unclosed class`);
      const body = src.slice(i + 1, end);
      if (body.startsWith('^')) throw new Error(`pattern ${pattern}: negated classes are not supported`);
      chars = firstClassChar(body);
      i = end + 1;
    } else if (c === '\\') {
      const e = src[i + 1];
      chars = e === 'd' ? '0' : e === 'w' ? 'a' : e === 's' ? ' ' : (e ?? '');
      i += 2;
    } else if ('()|.'.includes(c)) {
      throw new Error(`pattern ${pattern}: '${c}' is not supported by the sampler`);
    } else {
      chars = c;
      i++;
    }
    let min = 1;
    let max = 1;
    const q = src[i];
    if (q === '?') [min, max, i] = [0, 1, i + 1];
    else if (q === '*') [min, max, i] = [0, Infinity, i + 1];
    else if (q === '+') [min, max, i] = [1, Infinity, i + 1];
    else if (q === '{') {
      const end = src.indexOf('}', i);
      const [a, b] = src.slice(i + 1, end).split(',');
      min = Number(a);
      max = b === undefined ? min : b === '' ? Infinity : Number(b);
      i = end + 1;
    }
    atoms.push({ chars, min, max });
  }
  let out = atoms.map((a) => a.chars.repeat(a.min)).join('');
  // Grow the first stretchable atom until minLength holds.
  for (const atom of atoms) {
    if (out.length >= minLength) break;
    const room = Math.min(atom.max - atom.min, minLength - out.length);
    if (room > 0) {
      atom.min += room;
      out = atoms.map((a) => a.chars.repeat(a.min)).join('');
    }
  }
  return out;
}

/** The first character a class body like 'A-Za-z0-9 -' allows (a letter or digit when there is one). */
function firstClassChar(body: string): string {
  const m = /([A-Za-z0-9])-[A-Za-z0-9]/.exec(body);
  if (m) return m[1]!;
  const ch = body[0]!;
  return ch === '\\' ? (body[1] === 'd' ? '0' : (body[1] ?? '')) : ch;
}
