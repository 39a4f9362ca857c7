import { AttributeDef } from '../schema/attribute';
import { isObject, present, ScimResource } from '../schema/coerce';
import {
  attributesOf,
  canonicalPath,
  findByName,
  findExtension,
  isCoreUrn,
  ResolvedPath,
  resolvePath,
  resourceType,
  ResourceTypeRef,
} from '../schema/registry';

/** The `attributes` / `excludedAttributes` query parameters (RFC 7644 §3.9), as strings or already split. */
export interface ProjectionQuery {
  readonly attributes?: string | readonly string[];
  readonly excludedAttributes?: string | readonly string[];
}

/** Splits comma-separated attribute lists (`?attributes=userName,name.givenName`). */
export const parseAttributeList = (v: string | readonly string[] | undefined): string[] =>
  (typeof v === 'string' ? [v] : (v ?? []))
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');

type Keep = (attribute: AttributeDef, sub?: AttributeDef) => boolean;

/** Attributes named in `attributes` or `excludedAttributes`: as a whole, and which of their sub-attributes. */
type Named = Map<AttributeDef, { whole: boolean; subs: Set<AttributeDef> }>;

/**
 * RFC 7643 §7 / RFC 7644 §3.9: `always` is always returned and `never` never; with `attributes`, only the named
 * attributes (a named sub-attribute keeps just that part of its parent); otherwise `default` attributes minus the
 * excluded ones. `attributes` wins when both are given. Unknown names are ignored rather than rejected: RFC 7644
 * names no error for them, and IdPs ask for attributes of schemas we do not serve.
 */
function selection(ref: ResourceTypeRef, q: ProjectionQuery): Keep {
  const rt = resourceType(ref);
  // A bare schema URN names every attribute of that schema (clients exclude the enterprise extension this way).
  const resolve = (v: string | readonly string[] | undefined): ResolvedPath[] =>
    parseAttributeList(v).flatMap((name) => {
      const schema = isCoreUrn(rt, name) ? rt.schema : findExtension(rt, name);
      if (schema) {
        const extension = schema !== rt.schema;
        return attributesOf(rt, schema).map((attribute) => ({
          schema,
          extension,
          attribute,
          path: canonicalPath(schema, extension, attribute),
        }));
      }
      const rp = resolvePath(rt, name);
      return rp ? [rp] : [];
    });
  // Indexed by attribute: a list of 100,000 names (a .search body allows that) costs one pass, not one per lookup.
  const byAttribute = (list: ResolvedPath[]): Named => {
    const named: Named = new Map();
    for (const rp of list) {
      const entry = named.get(rp.attribute) ?? { whole: false, subs: new Set<AttributeDef>() };
      named.set(rp.attribute, entry);
      if (rp.sub) {
        entry.subs.add(rp.sub);
      } else {
        entry.whole = true;
      }
    }
    return named;
  };
  const requested = byAttribute(resolve(q.attributes));
  const excluded = byAttribute(resolve(q.excludedAttributes));
  const useRequested = parseAttributeList(q.attributes).length > 0;
  return (attribute, sub) => {
    const def = sub ?? attribute;
    if (attribute.returned === 'never' || def.returned === 'never') {
      return false;
    }
    if (attribute.returned === 'always' || def.returned === 'always') {
      return true;
    }
    // Named as a whole, or (for a sub-attribute) itself; an attribute counts as requested when any part of it is.
    const named = (list: Named, whole: boolean) => {
      const entry = list.get(attribute);
      return entry !== undefined && (entry.whole || (sub ? entry.subs.has(sub) : !whole && entry.subs.size > 0));
    };
    if (useRequested) {
      return named(requested, false);
    }
    return def.returned !== 'request' && !named(excluded, true);
  };
}

function projectValue(keep: Keep, def: AttributeDef, value: unknown): unknown {
  if (def.type !== 'complex' || def.freeForm) {
    return value;
  }
  const one = (v: unknown) =>
    isObject(v)
      ? Object.fromEntries(
          Object.entries(v).filter(([k]) => {
            const sub = findByName(def.subAttributes, k);
            return sub !== undefined && keep(def, sub);
          }),
        )
      : v;
  return Array.isArray(value) ? value.map(one).filter(present) : one(value);
}

/** Applies `attributes` / `excludedAttributes` and the `returned` characteristic to a canonical resource. */
export function project(resource: ScimResource, ref: ResourceTypeRef, q: ProjectionQuery = {}): ScimResource {
  const rt = resourceType(ref);
  const keep = selection(rt, q);
  const pick = (defs: readonly AttributeDef[], obj: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      const def = findByName(defs, k);
      const projected = def && keep(def) ? projectValue(keep, def, v) : undefined;
      if (def && present(projected)) {
        out[def.name] = projected;
      }
    }
    return out;
  };
  const out: ScimResource = {};
  for (const [k, v] of Object.entries(resource)) {
    const ext = findExtension(rt, k);
    if (ext && isObject(v)) {
      const projected = pick(ext.attributes, v);
      if (present(projected)) {
        out[ext.id] = projected;
      }
    } else if (!ext) {
      Object.assign(out, pick(attributesOf(rt, rt.schema), { [k]: v }));
    }
  }
  // `schemas` lists the schemas whose attributes are present (RFC 7643 §3): an extension projected away goes too.
  if (Array.isArray(out.schemas)) {
    out.schemas = out.schemas.filter((urn) => {
      const extension = typeof urn === 'string' ? findExtension(rt, urn) : undefined;
      return !extension || extension.id in out;
    });
  }
  return out;
}

/**
 * Whether `attribute` would appear in the response at all, so the caller can skip loading it (e.g. Group
 * `members` for `excludedAttributes=members`, IDP-QUIRKS Entra #7).
 */
export function isRequested(ref: ResourceTypeRef, q: ProjectionQuery, attribute: string): boolean {
  const rp = resolvePath(ref, attribute);
  return rp !== undefined && selection(ref, q)(rp.attribute, rp.sub);
}
