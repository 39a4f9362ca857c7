import { AttributeDef, assertNever, BoundFilter, CompareOp, ResolvedPath, ScimError } from '../scim';

export type SqlType = 'text' | 'boolean' | 'numeric' | 'timestamptz';

/** An attribute with its own (indexed) column; `expr` is a trusted SQL fragment written by us. */
export interface ColumnMapping {
  readonly expr: string;
  readonly type: SqlType;
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
}

export interface SqlFragment {
  readonly sql: string;
  readonly params: unknown[];
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
 * One comparison on a SQL expression of type `type`. caseExact=false compares lower() on both sides (the indexes are
 * on lower()); ordering on text uses COLLATE "C" so that it is code-point order, as in matchesFilter.
 */
export function predicate(lhs: string, type: SqlType, caseExact: boolean, op: CompareOp | 'pr', value: Scalar | undefined, param: Param): string {
  if (op === 'pr') {
    return type === 'text' ? `${lhs} <> ''` : `${lhs} IS NOT NULL`;
  }
  if (type !== 'text') {
    switch (op) {
      case 'co':
      case 'sw':
      case 'ew':
        throw ScimError.invalidFilter(`'${op}' is not supported for ${type} values`);
      case 'eq':
      case 'ne':
      case 'gt':
      case 'ge':
      case 'lt':
      case 'le':
        return `${lhs} ${ORDER[op]} ${param(value)}::${type}`;
      default:
        return assertNever(op);
    }
  }
  const fold = (x: string) => (caseExact ? x : `lower(${x})`);
  const text = String(value);
  switch (op) {
    case 'eq':
    case 'ne':
      return `${fold(lhs)} ${ORDER[op]} ${fold(`${param(text)}::text`)}`;
    case 'co':
    case 'sw':
    case 'ew': {
      const pattern = `${op === 'sw' ? '' : '%'}${escapeLike(text)}${op === 'ew' ? '' : '%'}`;
      return `${fold(lhs)} LIKE ${fold(`${param(pattern)}::text`)} ESCAPE '\\'`;
    }
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le':
      return `${fold(lhs)} ${ORDER[op]} ${fold(`${param(text)}::text`)} COLLATE "C"`;
    default:
      return assertNever(op);
  }
}

/**
 * Compiles a bound filter to a parameterised WHERE fragment ($offset+1 …); values only ever travel as parameters.
 * Semantics match matchesFilter: a comparison holds when some value satisfies it (absent → false, also for `ne`),
 * and `not` is two-valued (NOT COALESCE(…, false)), so SQL NULLs never leak into the result.
 */
export function filterToSql(filter: BoundFilter, mapping: FilterMapping, offset = 0): SqlFragment {
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
      ? `EXISTS (SELECT 1 FROM jsonb_array_elements(${array}) AS ${e}(v) WHERE ${scalar(`${e}.v->>${lit(rp.sub.name)}`, def, op, value)})`
      : `EXISTS (SELECT 1 FROM jsonb_array_elements_text(${array}) AS ${e}(v) WHERE ${scalar(`${e}.v`, def, op, value)})`;
  };

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
        const array = `${jsonbOf(f.path)}->${lit(f.path.attribute.name)}`;
        return `EXISTS (SELECT 1 FROM jsonb_array_elements(${array}) AS ${e}(v) WHERE ${compile(f.filter, `${e}.v`)})`;
      }
      case 'eq':
      case 'ne':
      case 'co':
      case 'sw':
      case 'ew':
      case 'gt':
      case 'ge':
      case 'lt':
      case 'le':
        return leaf(f.path, f.op, f.value, element);
      default:
        return assertNever(f);
    }
  };

  return { sql: compile(filter, undefined), params };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The users table (alias `u`): indexed columns for the attributes IdPs look users up by, `emails text[]` holding
 * lower(value) of every email with a value (GIN index), and `data` jsonb for the rest.
 */
export const userFilterMapping: FilterMapping = {
  data: 'u.data',
  columns: {
    userName: { expr: 'u.user_name', type: 'text' },
    displayName: { expr: 'u.display_name', type: 'text' },
    externalId: { expr: 'u.external_id', type: 'text' },
    active: { expr: 'u.active', type: 'boolean' },
    'meta.created': { expr: 'u.created', type: 'timestamptz' },
    'meta.lastModified': { expr: 'u.last_modified', type: 'timestamptz' },
  },
  custom: {
    // A uuid column: a literal that is not a (canonical, lower-case) UUID matches nothing instead of failing the cast.
    id: ({ op, value, def }, param) => {
      if (op === 'pr') {
        return 'TRUE';
      }
      if (op === 'eq' || op === 'ne') {
        return UUID.test(String(value)) ? `u.id ${ORDER[op]} ${param(value)}::uuid` : op === 'eq' ? 'FALSE' : 'TRUE';
      }
      return predicate('u.id::text', 'text', def.caseExact, op, value, param);
    },
    'emails.value': ({ op, value, def }, param) =>
      op === 'eq'
        ? `u.emails @> ARRAY[lower(${param(value)}::text)]`
        : `EXISTS (SELECT 1 FROM unnest(u.emails) AS m(v) WHERE ${predicate('m.v', 'text', def.caseExact, op, value, param)})`,
    schemas: ({ op, value, def }, param) =>
      `EXISTS (SELECT 1 FROM jsonb_array_elements_text(u.data->'schemas') AS s(v) WHERE ${predicate('s.v', 'text', def.caseExact, op, value, param)})`,
    'meta.resourceType': ({ op, value, def }, param) => predicate(`'User'::text`, 'text', def.caseExact, op, value, param),
  },
};
