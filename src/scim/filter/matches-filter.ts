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
 * The only code points whose String#toLowerCase differs from lowering each code point on its own: U+0130 (İ → i̇, two
 * code points, of which PostgreSQL keeps the first) and U+03A3 (Σ → ς at the end of a word, Final_Sigma; σ anywhere
 * in PostgreSQL). Every other mapping of Unicode's default case conversion is one code point to one and context-free
 * (matches-filter.spec.ts checks every code point), so once these two are lowered by hand the native toLowerCase,
 * some 20× faster than lowering code point by code point, gives the same text. Filters and PATCH fold every value
 * they compare, so this speed bounds a PATCH's work.
 */
const CONTEXTUAL = /[\u0130\u03a3]/;

/**
 * Case folding as PostgreSQL's lower() does it: one code point at a time, without JavaScript's context and
 * multi-character special casing (final sigma, dotted capital I), so that SQL and memory select the same values.
 * The users table's `emails` column, and the `emails.value` literals compared with it in SQL, are folded with it too.
 */
export const foldCase = (s: string): string =>
  (CONTEXTUAL.test(s) ? s.replaceAll('\u0130', 'i').replaceAll('\u03a3', '\u03c3') : s).toLowerCase();

const isHighSurrogate = (u: number) => u >= 0xd800 && u <= 0xdbff;

/**
 * Code-point order of two strings (SQL uses COLLATE "C"); JS's `<` would compare UTF-16 code units, which differs
 * for characters above U+FFFF. Compares from the first differing code unit, without copying either string.
 */
export function codePointOrder(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) {
    i++;
  }
  if (i === n) {
    return a.length - b.length;
  }
  if (i > 0 && isHighSurrogate(a.charCodeAt(i - 1))) {
    // The shared high surrogate before i pairs with a[i] or b[i] when that is a low one.
    const d = (a.codePointAt(i - 1) ?? 0) - (b.codePointAt(i - 1) ?? 0);
    if (d !== 0) {
      return d;
    }
  }
  return (a.codePointAt(i) ?? 0) - (b.codePointAt(i) ?? 0);
}

function order(a: string | number | boolean, b: string | number | boolean): number {
  if (typeof a !== 'string' || typeof b !== 'string') {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return codePointOrder(a, b);
}

/** The last filter literal folded: a filter compares the same literal with every value it runs over. */
let literal: { text: string; folded: string } | undefined;
const foldLiteral = (text: string): string => {
  if (literal?.text !== text) {
    literal = { text, folded: foldCase(text) };
  }
  return literal.folded;
};

function compareValue(
  def: AttributeDef,
  op: CompareOp,
  actual: unknown,
  expected: string | number | boolean,
  fold: (s: string) => string,
): boolean {
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
    a = fold(actual);
    e = foldLiteral(String(expected));
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
  /** foldCase, or a memo of it (PATCH folds each stored string once, however many operations filter on it). */
  fold: (s: string) => string = foldCase,
): boolean {
  switch (filter.op) {
    case 'and':
      return matchesFilter(resource, filter.left, element, fold) && matchesFilter(resource, filter.right, element, fold);
    case 'or':
      return matchesFilter(resource, filter.left, element, fold) || matchesFilter(resource, filter.right, element, fold);
    case 'not':
      return !matchesFilter(resource, filter.filter, element, fold);
    case 'pr':
      return !element && !filter.path.sub && filter.path.attribute.multiValued
        ? asArray(topValue(filter.path, resource)).length > 0
        : valuesAt(filter.path, resource, element).some(isPresent);
    case 'valuePath':
      return asArray(topValue(filter.path, resource)).some((e) => isObject(e) && matchesFilter(resource, filter.filter, e, fold));
    case 'compare': {
      const def = filter.path.sub ?? filter.path.attribute;
      const { operator, value } = filter;
      return valuesAt(filter.path, resource, element).some((v) => compareValue(def, operator, v, value, fold));
    }
    default:
      return assertNever(filter);
  }
}
