import { ScimError } from '../errors';
import { AttributeDef } from '../schema/attribute';
import { coerceScalar, expected, toInstant } from '../schema/coerce';
import { canonicalPath, findByName, ResolvedPath, resolvePath, resourceType, ResourceTypeRef } from '../schema/registry';
import { assertNever, AttrPath, BoundFilter, CompareOp, Filter, Literal } from './ast';

/** Which comparison operators make sense per type (RFC 7644 §3.4.2.2: gt/ge/lt/le on boolean or binary → invalidFilter). */
const allowedOps = (def: AttributeDef): readonly CompareOp[] => {
  switch (def.type) {
    case 'string':
    case 'reference':
      return ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];
    case 'boolean':
    case 'binary':
      return ['eq', 'ne'];
    case 'integer':
    case 'decimal':
    case 'dateTime':
      return ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];
    case 'complex':
      return [];
  }
};

/**
 * Binds a parsed filter to a resource type: resolves every path through the registry, rejects what cannot be
 * evaluated, and coerces literals by attribute type (`active eq "true"` → boolean). `parent` binds the inner filter
 * of a PATCH value path (`emails[type eq "work"]`) relative to its attribute.
 */
export function bindFilter(filter: Filter, ref: ResourceTypeRef, parent?: ResolvedPath): BoundFilter {
  const rt = resourceType(ref);
  const fail = ScimError.invalidFilter;

  const resolve = (p: AttrPath, scope: ResolvedPath | undefined): ResolvedPath => {
    const rp = resolvePath(rt, scope ? `${scope.path}.${p.text}` : p.text);
    if (!rp) {
      throw fail(`unknown attribute '${p.text}' at column ${p.pos}${scope ? ` in the filter on '${scope.path}'` : ''}`);
    }
    if ((rp.sub ?? rp.attribute).returned === 'never' || rp.attribute.returned === 'never') {
      throw fail(`attribute '${rp.path}' at column ${p.pos} cannot be used in a filter`);
    }
    return rp;
  };

  const compare = (op: CompareOp, p: AttrPath, value: Literal, scope: ResolvedPath | undefined): BoundFilter => {
    let rp = resolve(p, scope);
    const valueSub = findByName(rp.attribute.subAttributes, 'value');
    if (!rp.sub && rp.attribute.type === 'complex') {
      // RFC 7644 §3.4.2.2 example `emails co "example.com"`: a complex attribute compares by its `value`.
      if (!valueSub || rp.attribute.freeForm) {
        throw fail(`attribute '${rp.path}' at column ${p.pos} is complex; compare one of its sub-attributes`);
      }
      rp = { ...rp, sub: valueSub, path: canonicalPath(rp.schema, rp.extension, rp.attribute, valueSub) };
    }
    if (value === null) {
      // RFC 7643 §2.5: null is "unassigned", so `x eq null` ≡ `not (x pr)` and `x ne null` ≡ `x pr`.
      if (op === 'eq') {
        return { op: 'not', filter: { op: 'pr', path: rp } };
      }
      if (op === 'ne') {
        return { op: 'pr', path: rp };
      }
      throw fail(`'${op}' at column ${p.pos} cannot compare with null`);
    }
    const leaf = rp.sub ?? rp.attribute;
    if (!allowedOps(leaf).includes(op)) {
      throw fail(`operator '${op}' at column ${p.pos} is not supported for ${leaf.type} attribute '${rp.path}'`);
    }
    const coerced = coerceScalar(leaf, value);
    if (coerced === undefined) {
      throw fail(`attribute '${rp.path}' at column ${p.pos} compares with ${expected(leaf)}; got ${JSON.stringify(value)}`);
    }
    const bound = leaf.type === 'dateTime' ? new Date(toInstant(String(coerced))).toISOString() : coerced;
    return { op: 'compare', operator: op, path: rp, value: bound };
  };

  const bind = (f: Filter, scope: ResolvedPath | undefined): BoundFilter => {
    switch (f.op) {
      case 'and':
      case 'or':
        return { op: f.op, left: bind(f.left, scope), right: bind(f.right, scope) };
      case 'not':
        return { op: 'not', filter: bind(f.filter, scope) };
      case 'pr':
        return { op: 'pr', path: resolve(f.path, scope) };
      case 'valuePath': {
        const rp = resolve(f.path, scope);
        if (rp.sub || rp.attribute.type !== 'complex' || rp.attribute.freeForm) {
          throw fail(`'[' at column ${f.path.pos} needs a complex attribute with sub-attributes; '${rp.path}' is not one`);
        }
        // A single-valued complex attribute has one value to test (Entra sends `name[givenName eq "Barbara"]`), so
        // the brackets only scope the names inside: the result is the inner filter with its paths under the attribute
        // (`name.givenName eq "Barbara"`), which SQL and memory already evaluate alike.
        return rp.attribute.multiValued ? { op: 'valuePath', path: rp, filter: bind(f.filter, rp) } : bind(f.filter, rp);
      }
      case 'compare':
        return compare(f.operator, f.path, f.value, scope);
      default:
        return assertNever(f);
    }
  };

  return bind(filter, parent);
}
