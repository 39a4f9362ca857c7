import { ScimError } from '../errors';
import { AttributeDef } from './attribute';
import { findByName, sameName } from './registry';

/** A SCIM resource in canonical form: schema-cased keys, extension attributes under their URN key. */
export type ScimResource = Record<string, unknown>;

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Structural equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isObject(a)) {
    const keys = Object.keys(a);
    return isObject(b) && keys.length === Object.keys(b).length && keys.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return a === b;
}

/** RFC 7643 §2.5: null, "", [] and {} are all "unassigned" for `pr` and for storage. */
export const present = (v: unknown): boolean =>
  v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0) && !(isObject(v) && Object.keys(v).length === 0);

/** xsd:dateTime (RFC 7643 §2.3.5); a missing zone offset is read as UTC everywhere so that SQL and memory agree. */
const DATE_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?$/;
export const toInstant = (s: string): number => Date.parse(/(Z|[+-]\d\d:\d\d)$/.test(s) ? s : `${s}Z`);

/** A real calendar date (no 30 February) whose instant lies in years 1–9999, which PostgreSQL and JS both handle. */
function isDateTime(s: string): boolean {
  if (!DATE_TIME.test(s)) {
    return false;
  }
  const [y, m, d] = s.slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  const instant = new Date(toInstant(s)).getUTCFullYear();
  return day.getUTCDate() === d && instant >= 1 && instant <= 9999;
}

/**
 * Text PostgreSQL can store: no NUL character, no unpaired UTF-16 surrogate (JSON allows both, text and jsonb do not).
 * Checked for every string that reaches the database, free-form JSON included.
 */
export const isStorableText = (s: string): boolean =>
  !/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

const isStorableJson = (v: unknown): boolean =>
  typeof v === 'string'
    ? isStorableText(v)
    : Array.isArray(v)
      ? v.every(isStorableJson)
      : isObject(v)
        ? Object.entries(v).every(([k, x]) => isStorableText(k) && isStorableJson(x))
        : true;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;
const INTEGER = /^[-+]?\d+$/;
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** What a scalar of this attribute must look like, for error details. */
export function expected(def: AttributeDef): string {
  if (def.closedValues && def.canonicalValues) {
    return `one of ${def.canonicalValues.join(', ')}`;
  }
  switch (def.type) {
    case 'string':
      return 'a string (without NUL characters or unpaired surrogates)';
    case 'reference':
      return 'a URI reference string';
    case 'binary':
      return 'a base64-encoded string';
    case 'boolean':
      return 'a boolean (true or false)';
    case 'integer':
      return 'an integer';
    case 'decimal':
      return 'a number';
    case 'dateTime':
      return 'an xsd:dateTime string such as 2011-05-13T04:42:34Z (a real date in years 0001-9999)';
    case 'complex':
      return 'an object';
  }
}

/**
 * Coerces one scalar by schema type; undefined when it cannot be coerced. IdPs send booleans and numbers as
 * strings (Entra `"active": "False"`, `[primary eq "true"]`), so those are converted where unambiguous.
 */
export function coerceScalar(def: AttributeDef, raw: unknown): string | number | boolean | undefined {
  switch (def.type) {
    case 'string':
      if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
        return undefined;
      }
      if (typeof raw === 'string' && !isStorableText(raw)) {
        return undefined;
      }
      return def.closedValues ? def.canonicalValues?.find((c) => sameName(c, String(raw))) : String(raw);
    case 'reference':
      return typeof raw === 'string' && isStorableText(raw) ? raw : undefined;
    case 'binary':
      return typeof raw === 'string' && BASE64.test(raw) ? raw : undefined;
    case 'boolean':
      if (typeof raw === 'boolean') {
        return raw;
      }
      return typeof raw === 'string' && (sameName(raw, 'true') || sameName(raw, 'false')) ? sameName(raw, 'true') : undefined;
    case 'integer': {
      const n = typeof raw === 'string' && INTEGER.test(raw.trim()) ? Number(raw) : raw;
      return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined;
    }
    case 'decimal': {
      const n = typeof raw === 'string' && DECIMAL.test(raw.trim()) ? Number(raw) : raw;
      return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
    }
    case 'dateTime':
      return typeof raw === 'string' && isDateTime(raw) ? raw : undefined;
    case 'complex':
      return undefined;
  }
}

const preview = (v: unknown): string => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

const kindOf = (v: unknown): string => (Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);

/** A value that is never returned (the password) is not echoed either: error details reach logs and the client. */
const invalid = (def: AttributeDef, path: string, raw: unknown) =>
  ScimError.invalidValue(`Attribute '${path}' must be ${expected(def)}; got ${def.returned === 'never' ? kindOf(raw) : preview(raw)}`);

const isReadOnly = (def: AttributeDef) => def.mutability === 'readOnly';

/**
 * Coerces one value (one element, for a multi-valued attribute) of `def` from client input. Sub-attribute keys are
 * renamed to their canonical case; readOnly sub-attributes are ignored (RFC 7644 §3.5.1); unknown ones are dropped
 * and reported in `dropped`. Empty strings count as unassigned, like null. A bare scalar for a complex attribute with a `value` sub-attribute becomes `{ value }`
 * (Entra sends the enterprise `manager` as a string). Returns undefined for an unassigned value.
 */
export function coerceValue(def: AttributeDef, raw: unknown, path: string, dropped: string[]): unknown {
  if (raw === null || raw === undefined) {
    return undefined;
  }
  if (def.type !== 'complex') {
    const v = coerceScalar(def, raw);
    if (v === undefined) {
      throw invalid(def, path, raw);
    }
    return v === '' ? undefined : v;
  }
  if (def.freeForm) {
    if (!isObject(raw) || !isStorableJson(raw)) {
      throw invalid(def, path, raw);
    }
    return present(raw) ? structuredClone(raw) : undefined;
  }
  const valueDef = findByName(def.subAttributes, 'value');
  if (!isObject(raw)) {
    if (Array.isArray(raw) || !valueDef) {
      throw invalid(def, path, raw);
    }
    return coerceValue(def, { [valueDef.name]: raw }, path, dropped);
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(raw)) {
    const sub = findByName(def.subAttributes, key);
    if (!sub) {
      dropped.push(`${path}.${key}`);
    } else if (!isReadOnly(sub)) {
      const c = coerceValue(sub, v, `${path}.${sub.name}`, dropped);
      if (c !== undefined) {
        out[sub.name] = c;
      }
    }
  }
  return present(out) ? out : undefined;
}

export const isPrimary = (v: unknown): boolean => isObject(v) && v.primary === true;

/**
 * Coerces a whole attribute value. A multi-valued attribute given as a single value is wrapped in an array (IdPs
 * send `"emails": {…}` in PATCH values). RFC 7643 §2.4: `primary: true` may appear at most once — more is rejected
 * rather than silently picking one, since the client's intent is ambiguous.
 */
export function coerceAttribute(def: AttributeDef, raw: unknown, path: string, dropped: string[]): unknown {
  if (!def.multiValued) {
    return coerceValue(def, raw, path, dropped);
  }
  const values = (Array.isArray(raw) ? raw : [raw]).map((v) => coerceValue(def, v, path, dropped)).filter((v) => v !== undefined);
  if (values.filter(isPrimary).length > 1) {
    throw ScimError.invalidValue(`At most one value of '${path}' may have primary set to true (RFC 7643 §2.4)`);
  }
  return values.length > 0 ? values : undefined;
}
