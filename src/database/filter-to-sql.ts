import { assertNever, AttributeDef, BoundFilter, CompareOp, isUuid, ResolvedPath, ScimError } from '../scim';

export type SqlType = 'text' | 'boolean' | 'numeric' | 'timestamptz';

/** An attribute with its own (indexed) column; `expr` is a trusted SQL fragment written by us. */
export interface ColumnMapping {
  readonly expr: string;
  readonly type: SqlType;
  /** The column can be NULL (sorting puts those rows last). */
  readonly nullable?: boolean;
}

export type Scalar = string | number | boolean;

/** One comparison or `pr` on a custom-mapped path; `value` is undefined for `pr`. */
export interface CustomNode {
  readonly op: CompareOp | 'pr';
  readonly value?: Scalar;
  readonly def: AttributeDef;
}

/** Binds a value as the next parameter and returns its placeholder (`$3`). */
export type Param = (value: unknown) => string;

export type CustomSql = (node: CustomNode, param: Param) => string;

/**
 * How a resource type is stored. Paths are canonical (`name.familyName`, `urn:…:enterprise:2.0:User:department`).
 * Lookup order: `custom`, then `columns`, then the jsonb `data` column holding the canonical SCIM representation
 * (extension attributes under their URN key, multi-valued attributes as arrays). readOnly attributes are not in
 * `data`, so they must be mapped explicitly or they are not filterable.
 */
export interface FilterMapping {
  readonly columns: Readonly<Record<string, ColumnMapping>>;
  readonly data: string;
  readonly custom: Readonly<Record<string, CustomSql>>;
  /**
   * Multi-valued attributes kept outside `data` (group memberships): a subquery yielding one jsonb element per
   * value, so value filters (`members[type eq "Group"]`) and sub-attribute paths work as on jsonb arrays.
   */
  readonly elements?: Readonly<Record<string, string>>;
}

export interface SqlFragment {
  readonly sql: string;
  readonly params: unknown[];
}

/**
 * The SQL expression holding a single-valued attribute (or sub-attribute) for ordering by it: its own column, or its
 * place in the jsonb `data`, cast to its type. `id` is the row's uuid key.
 */
export function valueExpression(
  rp: ResolvedPath,
  mapping: FilterMapping,
  alias: string,
): { sql: string; type: SqlType | 'uuid'; nullable: boolean } {
  if (rp.path === 'id') {
    return { sql: `${alias}.id`, type: 'uuid', nullable: false };
  }
  const column = mapping.columns[rp.path];
  if (column) {
    return { sql: column.expr, type: column.type, nullable: column.nullable ?? false };
  }
  const def = rp.sub ?? rp.attribute;
  const base = rp.extension ? `${mapping.data}->${lit(rp.schema.id)}` : mapping.data;
  const text = rp.sub ? `${base}->${lit(rp.attribute.name)}->>${lit(rp.sub.name)}` : `${base}->>${lit(rp.attribute.name)}`;
  const type = sqlTypeOf(def);
  return { sql: type === 'text' ? text : `(${text})::${type}`, type, nullable: true };
}

export const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A SQL string literal for a trusted key from our schemas (attribute names, URNs). */
const lit = (key: string) => `'${key.replace(/'/g, "''")}'`;

const sqlTypeOf = (def: AttributeDef): SqlType => {
  switch (def.type) {
    case 'string':
    case 'reference':
    case 'binary':
    case 'complex':
      return 'text';
    case 'boolean':
      return 'boolean';
    case 'integer':
    case 'decimal':
      return 'numeric';
    case 'dateTime':
      return 'timestamptz';
  }
};

const ORDER: Readonly<Record<'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le', string>> = {
  eq: '=',
  ne: '<>',
  gt: '>',
  ge: '>=',
  lt: '<',
  le: '<=',
};

/**
 * A dateTime comparison at the millisecond precision clients see: PostgreSQL keeps microseconds, but `meta` values go
 * out (and compare in memory) as milliseconds, so `meta.lastModified gt "<the value shown>"` must not return the row
 * itself. Each operator becomes a range on the stored value, which keeps the index usable.
 */
function instantPredicate(lhs: string, op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le', at: string): string {
  const next = `(${at} + interval '1 millisecond')`;
  switch (op) {
    case 'eq':
      return `(${lhs} >= ${at} AND ${lhs} < ${next})`;
    case 'ne':
      return `(${lhs} < ${at} OR ${lhs} >= ${next})`;
    case 'gt':
      return `${lhs} >= ${next}`;
    case 'ge':
      return `${lhs} >= ${at}`;
    case 'lt':
      return `${lhs} < ${at}`;
    case 'le':
      return `${lhs} < ${next}`;
    default:
      return assertNever(op);
  }
}

/**
 * One comparison on a SQL expression of type `type`. caseExact=false compares lower() on both sides (the indexes are
 * on lower()); ordering on text uses COLLATE "C" so that it is code-point order, as in matchesFilter.
 */
export function predicate(
  lhs: string,
  type: SqlType,
  caseExact: boolean,
  op: CompareOp | 'pr',
  value: Scalar | undefined,
  param: Param,
): string {
  if (op === 'pr') {
    return type === 'text' ? `${lhs} <> ''` : `${lhs} IS NOT NULL`;
  }
  const isText = type === 'text';
  const fold = (x: string) => (isText && !caseExact ? `lower(${x})` : x);
  switch (op) {
    case 'co':
    case 'sw':
    case 'ew': {
      if (!isText) {
        throw ScimError.invalidFilter(`'${op}' is not supported for ${type} values`);
      }
      const pattern = `${op === 'sw' ? '' : '%'}${escapeLike(String(value))}${op === 'ew' ? '' : '%'}`;
      return `${fold(lhs)} LIKE ${fold(`${param(pattern)}::text`)} ESCAPE '\\'`;
    }
    case 'eq':
    case 'ne':
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le': {
      if (type === 'timestamptz') {
        return instantPredicate(lhs, op, `date_trunc('milliseconds', ${param(value)}::timestamptz)`);
      }
      // Ordering on text is code-point order (COLLATE "C"), as in matchesFilter.
      const collate = isText && op !== 'eq' && op !== 'ne' ? ' COLLATE "C"' : '';
      return `${fold(lhs)} ${ORDER[op]} ${fold(`${param(isText ? String(value) : value)}::${type}`)}${collate}`;
    }
    default:
      return assertNever(op);
  }
}

/**
 * Compiles a bound filter to a parameterised WHERE fragment ($offset+1 …); values only ever travel as parameters.
 * Semantics match matchesFilter: a comparison holds when some value satisfies it (absent → false, also for `ne`),
 * and `not` is two-valued (NOT COALESCE(…, false)), so SQL NULLs never leak into the result.
 */
export function filterToSql(filter: BoundFilter | undefined, mapping: FilterMapping, offset = 0): SqlFragment {
  if (filter === undefined) {
    return { sql: 'TRUE', params: [] };
  }
  const params: unknown[] = [];
  const param: Param = (v) => {
    params.push(v);
    return `$${offset + params.length}`;
  };
  let aliases = 0;

  const scalar = (text: string, def: AttributeDef, op: CompareOp | 'pr', value: Scalar | undefined) => {
    const type = sqlTypeOf(def);
    return op === 'pr' ? `${text} <> ''` : predicate(type === 'text' ? text : `(${text})::${type}`, type, def.caseExact, op, value, param);
  };

  const leaf = (rp: ResolvedPath, op: CompareOp | 'pr', value: Scalar | undefined, element: string | undefined): string => {
    const attr = rp.attribute;
    const def = rp.sub ?? attr;
    if (rp.sub?.name === '$ref' && mapping.elements?.[attr.name]) {
      // Memberships are rows, not stored JSON; the URL in $ref is built per request from the public base URL.
      throw ScimError.invalidFilter(`Filtering on '${attr.name}.$ref' is not supported; filter on ${attr.name}.value (the id)`);
    }
    if (element && rp.sub) {
      return scalar(`${element}->>${lit(rp.sub.name)}`, def, op, value);
    }
    const custom = mapping.custom[rp.path];
    if (custom) {
      return custom({ op, value, def }, param);
    }
    const column = mapping.columns[rp.path];
    if (column) {
      return predicate(column.expr, column.type, def.caseExact, op, value, param);
    }
    if (attr.multiValued && mapping.elements?.[attr.name]) {
      const e = `e${++aliases}`;
      return rp.sub
        ? `EXISTS (SELECT 1 FROM ${elementsOf(rp)} AS ${e}(v) WHERE ${scalar(`${e}.v->>${lit(rp.sub.name)}`, def, op, value)})`
        : `EXISTS (SELECT 1 FROM ${elementsOf(rp)} AS ${e}(v))`;
    }
    const base = jsonbOf(rp);
    if (!attr.multiValued) {
      if (rp.sub) {
        return scalar(`${base}->${lit(attr.name)}->>${lit(rp.sub.name)}`, def, op, value);
      }
      return attr.type === 'complex'
        ? `EXISTS (SELECT 1 FROM jsonb_each(${base}->${lit(attr.name)}) AS s(k, v) WHERE s.v NOT IN ('null', '""', '[]', '{}'))`
        : scalar(`${base}->>${lit(attr.name)}`, def, op, value);
    }
    const array = `${base}->${lit(attr.name)}`;
    if (!rp.sub && op === 'pr') {
      return `jsonb_array_length(${array}) > 0`;
    }
    const e = `e${++aliases}`;
    return rp.sub
      ? `EXISTS (SELECT 1 FROM ${elementsOf(rp)} AS ${e}(v) WHERE ${scalar(`${e}.v->>${lit(rp.sub.name)}`, def, op, value)})`
      : `EXISTS (SELECT 1 FROM jsonb_array_elements_text(${array}) AS ${e}(v) WHERE ${scalar(`${e}.v`, def, op, value)})`;
  };

  const elementsOf = (rp: ResolvedPath): string =>
    mapping.elements?.[rp.attribute.name] ?? `jsonb_array_elements(${jsonbOf(rp)}->${lit(rp.attribute.name)})`;

  const jsonbOf = (rp: ResolvedPath): string => {
    if (rp.attribute.mutability === 'readOnly' || rp.sub?.mutability === 'readOnly') {
      throw ScimError.invalidFilter(`Filtering on '${rp.path}' is not supported`);
    }
    return rp.extension ? `${mapping.data}->${lit(rp.schema.id)}` : mapping.data;
  };

  const compile = (f: BoundFilter, element: string | undefined): string => {
    switch (f.op) {
      case 'and':
        return `(${compile(f.left, element)} AND ${compile(f.right, element)})`;
      case 'or':
        return `(${compile(f.left, element)} OR ${compile(f.right, element)})`;
      case 'not':
        return `NOT COALESCE(${compile(f.filter, element)}, false)`;
      case 'pr':
        return leaf(f.path, 'pr', undefined, element);
      case 'valuePath': {
        const e = `e${++aliases}`;
        return `EXISTS (SELECT 1 FROM ${elementsOf(f.path)} AS ${e}(v) WHERE ${compile(f.filter, `${e}.v`)})`;
      }
      case 'compare':
        return leaf(f.path, f.operator, f.value, element);
      default:
        return assertNever(f);
    }
  };

  return { sql: compile(filter, undefined), params };
}

/** ids are stored as lower-case UUIDs and compared case-exactly (RFC 7643 §3.1), so only that form can match. */
const isCanonicalId = (v: unknown) => typeof v === 'string' && isUuid(v) && v === v.toLowerCase();

/** id, schemas and meta.resourceType, the same for every table with a uuid `id` and a `data` column (alias `a`). */
export const commonCustom = (a: string, resourceTypeName: string): Record<string, CustomSql> => ({
  // A uuid column: a literal that is not a UUID matches nothing instead of failing the cast.
  id: ({ op, value, def }, param) => {
    if (op === 'pr') {
      return 'TRUE';
    }
    // id is caseExact (RFC 7643 §3.1): only the canonical lower-case form of a stored id can match.
    if (op === 'eq' || op === 'ne') {
      return isCanonicalId(value) ? `${a}.id ${ORDER[op]} ${param(value)}::uuid` : op === 'eq' ? 'FALSE' : 'TRUE';
    }
    return predicate(`${a}.id::text`, 'text', def.caseExact, op, value, param);
  },
  schemas: ({ op, value, def }, param) =>
    `EXISTS (SELECT 1 FROM jsonb_array_elements_text(${a}.data->'schemas') AS s(v) WHERE ${predicate('s.v', 'text', def.caseExact, op, value, param)})`,
  'meta.resourceType': ({ op, value, def }, param) => predicate(`'${resourceTypeName}'::text`, 'text', def.caseExact, op, value, param),
});

/**
 * A membership sub-attribute (`groups.value`, `members.value`) answered from group_members: `from` is the join
 * condition to the outer row, `key` the uuid column compared. eq on a non-UUID literal matches nothing.
 */
export function membershipMatch(from: string, key: string, { op, value, def }: CustomNode, param: Param): string {
  switch (op) {
    case 'pr':
      return `EXISTS (SELECT 1 FROM ${from})`;
    case 'eq': {
      const id = String(value).toLowerCase();
      return isUuid(id) ? `EXISTS (SELECT 1 FROM ${from} AND ${key} = ${param(id)}::uuid)` : 'FALSE';
    }
    default:
      return `EXISTS (SELECT 1 FROM ${from} AND ${predicate(`${key}::text`, 'text', def.caseExact, op, value, param)})`;
  }
}
