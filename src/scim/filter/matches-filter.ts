import { AttributeDef } from '../schema/attribute';
import { isObject, present, ScimResource, toInstant } from '../schema/coerce';
import { ResolvedPath } from '../schema/registry';
import { assertNever, BoundFilter, CompareOp } from './ast';

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

function topValue(rp: ResolvedPath, resource: ScimResource): unknown {
  const container = rp.extension ? resource[rp.schema.id] : resource;
  return isObject(container) ? container[rp.attribute.name] : undefined;
}

/** The values a path denotes: every value of a multi-valued attribute (or of its sub-attribute) counts. */
function valuesAt(rp: ResolvedPath, resource: ScimResource, element: Record<string, unknown> | undefined): unknown[] {
  if (element && rp.sub) {
    return asArray(element[rp.sub.name]);
  }
  const top = asArray(topValue(rp, resource));
  const sub = rp.sub?.name;
  return sub === undefined ? top : top.flatMap((o) => (isObject(o) ? asArray(o[sub]) : []));
}

/** A complex value is present when any of its sub-attributes is (RFC 7643 §2.5). */
const isPresent = (v: unknown): boolean => (isObject(v) ? Object.values(v).some(present) : present(v));

/**
 * Case folding as PostgreSQL's lower() does it: one code point at a time, without JavaScript's context and
 * multi-character special casing (final sigma, dotted capital I), so that SQL and memory select the same values.
 * The users table's `emails` column, and the `emails.value` literals compared with it in SQL, are folded with it too.
 */
export const foldCase = (s: string): string => Array.from(s, (c) => String.fromCodePoint(c.toLowerCase().codePointAt(0) ?? 0)).join('');

/** Code-point order for strings (SQL uses COLLATE "C"); JS's `<` would compare UTF-16 code units. */
function order(a: string | number | boolean, b: string | number | boolean): number {
  if (typeof a !== 'string' || typeof b !== 'string') {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const x = Array.from(a, (c) => c.codePointAt(0) ?? 0);
  const y = Array.from(b, (c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    if (x[i] !== y[i]) {
      return (x[i] ?? 0) - (y[i] ?? 0);
    }
  }
  return x.length - y.length;
}

function compareValue(def: AttributeDef, op: CompareOp, actual: unknown, expected: string | number | boolean): boolean {
  let a: string | number | boolean;
  let e: string | number | boolean = expected;
  if (def.type === 'dateTime') {
    if (typeof actual !== 'string') {
      return false;
    }
    a = toInstant(actual);
    e = toInstant(String(expected));
  } else if (typeof actual !== typeof expected) {
    return false;
  } else if (typeof actual === 'string' && !def.caseExact) {
    a = foldCase(actual);
    e = foldCase(String(expected));
  } else {
    a = actual as string | number | boolean;
  }
  switch (op) {
    case 'eq':
      return a === e;
    case 'ne':
      return a !== e;
    case 'co':
      return String(a).includes(String(e));
    case 'sw':
      return String(a).startsWith(String(e));
    case 'ew':
      return String(a).endsWith(String(e));
    case 'gt':
      return order(a, e) > 0;
    case 'ge':
      return order(a, e) >= 0;
    case 'lt':
      return order(a, e) < 0;
    case 'le':
      return order(a, e) <= 0;
    default:
      return assertNever(op);
  }
}

/**
 * In-memory evaluation with the same semantics as filter-to-sql: a comparison holds when SOME value of the attribute
 * satisfies it, so an absent attribute satisfies no comparison — `title ne "x"` does not match a resource without a
 * title (use `not (title eq "x")` for that); `not` is plain negation.
 */
export function matchesFilter(
  resource: ScimResource,
  filter: BoundFilter,
  /** One value of a multi-valued attribute, to test the inner filter of a value path against it. */
  element?: Record<string, unknown>,
): boolean {
  switch (filter.op) {
    case 'and':
      return matchesFilter(resource, filter.left, element) && matchesFilter(resource, filter.right, element);
    case 'or':
      return matchesFilter(resource, filter.left, element) || matchesFilter(resource, filter.right, element);
    case 'not':
      return !matchesFilter(resource, filter.filter, element);
    case 'pr':
      return !element && !filter.path.sub && filter.path.attribute.multiValued
        ? asArray(topValue(filter.path, resource)).length > 0
        : valuesAt(filter.path, resource, element).some(isPresent);
    case 'valuePath':
      return asArray(topValue(filter.path, resource)).some((e) => isObject(e) && matchesFilter(resource, filter.filter, e));
    case 'compare': {
      const def = filter.path.sub ?? filter.path.attribute;
      const { operator, value } = filter;
      return valuesAt(filter.path, resource, element).some((v) => compareValue(def, operator, v, value));
    }
    default:
      return assertNever(filter);
  }
}
