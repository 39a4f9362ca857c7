/*
 * Own engine rather than scim-patch@0.8.3: that package is schema-less (keys matched exactly, so `Members` or
 * `NAME.givenName` miss; no type coercion of "True"; no readOnly/required checks), throws its own error classes,
 * treats `manager` strings and URN keys in no-path values like any other key, and cannot hand Group membership back
 * as a delta. Those are the IdP dialects we must accept (IDP-QUIRKS.md), so the engine is driven by the schema.
 */
import { ScimError } from '../errors';
import { assertNever, BoundFilter } from '../filter/ast';
import { bindFilter } from '../filter/bind-filter';
import { foldCase, matchesFilter } from '../filter/matches-filter';
import { parsePath } from '../path/parse-path';
import { AttributeDef } from '../schema/attribute';
import { coerceAttribute, coerceValue, isObject, isPrimary, jsonEqual, present, ScimResource } from '../schema/coerce';
import { canonicalPath, findByName, findExtension, isForeignSchemaPath, ResolvedPath, resolvePath, ResourceType } from '../schema/registry';
import { PatchOperation } from './patch-request';

type Obj = Record<string, unknown>;

/** A PATCH target. With a filter, `rp.sub` is the sub-attribute after the brackets (`emails[type eq "work"].value`). */
interface Target {
  readonly rp: ResolvedPath;
  readonly filter?: BoundFilter;
}

function resolveTarget(rt: ResourceType, text: string): Target {
  const parsed = parsePath(text);
  const rp = resolvePath(rt, parsed.sub ? `${parsed.attribute.text}.${parsed.sub.text}` : parsed.attribute.text);
  if (!rp) {
    throw ScimError.invalidPath(`'${text}' is not an attribute of ${rt.name}`);
  }
  if (!parsed.filter || !rp.attribute.multiValued) {
    // Since an August 2025 change Entra sends value filters on single-valued attributes (`name[givenName eq "x"]`,
    // `name[givenName eq "x"].familyName`, `active[value eq "true"]`). There is only one value to select, so such a
    // path means the plain path (`name`, `name.familyName`, `active`): the filter must parse, but it is neither bound
    // to the schema nor evaluated, and the operation applies whether or not the current value would match it.
    return { rp };
  }
  const attr: ResolvedPath = { ...rp, sub: undefined, path: canonicalPath(rp.schema, rp.extension, rp.attribute) };
  if (rp.attribute.type !== 'complex' || rp.attribute.freeForm) {
    throw ScimError.invalidPath(`'${text}': a value filter needs a multi-valued complex attribute; '${attr.path}' is not one`);
  }
  return { rp, filter: bindFilter(parsed.filter, rt, attr) };
}

/**
 * Turns an object of attributes (a POST/PUT body, or the value of a PATCH op without path) into targets. Keys may
 * be plain, dotted (`name.givenName`), URN-qualified (`urn:…:enterprise:2.0:User:department`) or an extension URN
 * holding an object. ReadOnly attributes are ignored (RFC 7644 §3.5.1); unknown attributes and unknown extension
 * URNs (Okta's custom ones) are dropped and reported, because rejecting them gets the IdP's job quarantined.
 */
function expandObject(rt: ResourceType, obj: Obj, dropped: string[]): { rp: ResolvedPath; value: unknown }[] {
  return Object.entries(obj).flatMap(([key, value]) => {
    const ext = findExtension(rt, key);
    if (ext) {
      if (!isObject(value)) {
        throw ScimError.invalidValue(`'${ext.id}' must be an object of ${ext.name} attributes`);
      }
      return expandObject(rt, Object.fromEntries(Object.entries(value).map(([k, v]) => [`${ext.id}:${k}`, v])), dropped);
    }
    const rp = resolvePath(rt, key);
    if (!rp) {
      dropped.push(key);
      return [];
    }
    return isReadOnly(rp) ? [] : [{ rp, value }];
  });
}

const isReadOnly = (rp: ResolvedPath) => rp.attribute.mutability === 'readOnly' || rp.sub?.mutability === 'readOnly';

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : present(v) ? [v] : []);

/** Unassigned values (RFC 7643 §2.5) are stored as absent keys, never as null, "", [] or {}. */
function setKey(obj: Obj, key: string, v: unknown): void {
  if (present(v)) {
    obj[key] = v;
  } else {
    delete obj[key];
  }
}

function containerOf(res: Obj, rp: ResolvedPath): Obj {
  if (!rp.extension) {
    return res;
  }
  if (!isObject(res[rp.schema.id])) {
    res[rp.schema.id] = {};
  }
  return res[rp.schema.id] as Obj;
}

/** RFC 7643 §2.4: when written values set `primary: true`, every other value loses it. */
function onePrimary(values: unknown[], written: unknown[]): unknown[] {
  const winner = written.filter(isPrimary).at(-1);
  return winner === undefined ? values : values.map((v) => (v !== winner && isPrimary(v) ? { ...(v as Obj), primary: false } : v));
}

/** The element an `eq` conjunction describes (`type eq "work"` → `{type: "work"}`); undefined for any other filter. */
function eqSeed(f: BoundFilter): Obj | undefined {
  switch (f.op) {
    case 'compare':
      return f.operator === 'eq' && f.path.sub ? { [f.path.sub.name]: f.value } : undefined;
    case 'and': {
      const left = eqSeed(f.left);
      const right = eqSeed(f.right);
      return left && right ? { ...left, ...right } : undefined;
    }
    case 'or':
    case 'not':
    case 'pr':
    case 'valuePath':
      return undefined;
    default:
      return assertNever(f);
  }
}

const single = (raw: unknown) => (Array.isArray(raw) && raw.length === 1 ? raw[0] : raw);

/** Equality of two values of `def`: strings unless caseExact fold case as filters do (RFC 7643 §2.2), others by JSON. */
const equalUnder = (def: AttributeDef | undefined, a: unknown, b: unknown): boolean =>
  def && !def.caseExact && typeof a === 'string' && typeof b === 'string' ? foldCase(a) === foldCase(b) : jsonEqual(a, b);

/**
 * Whether `v` is the value `stored` of a multi-valued attribute, for add (RFC 7644 §3.5.2.1: a value already there
 * is not added again) and for remove with a value list. Values with a `value` sub-attribute are identified by it, and
 * by `type` when both have one; any other value must be equal.
 */
function sameElement(attr: AttributeDef, stored: unknown, v: unknown): boolean {
  const valueDef = findByName(attr.subAttributes, 'value');
  if (!valueDef || !isObject(stored) || !isObject(v) || v.value === undefined) {
    return equalUnder(attr, stored, v);
  }
  const typed = stored.type !== undefined && v.type !== undefined;
  return equalUnder(valueDef, stored.value, v.value) && (!typed || equalUnder(findByName(attr.subAttributes, 'type'), stored.type, v.type));
}

function write(res: Obj, { rp, filter }: Target, mode: 'add' | 'replace', raw: unknown, dropped: string[]): void {
  const attr = rp.attribute;
  const c = containerOf(res, rp);
  const current = c[attr.name];
  if (!attr.multiValued) {
    if (rp.sub) {
      const obj = isObject(current) ? { ...current } : {};
      setKey(obj, rp.sub.name, coerceValue(rp.sub, raw, rp.path, dropped));
      setKey(c, attr.name, obj);
      return;
    }
    const v = coerceValue(attr, raw, rp.path, dropped);
    // RFC 7644 §3.5.2.1 and §3.5.2.3: a complex value sets the sub-attributes it names and leaves the others. A
    // free-form object (team metadata) is replaced verbatim, except that `add` adds its keys.
    const merge = attr.type === 'complex' && (mode === 'add' || !attr.freeForm) && isObject(current) && isObject(v);
    setKey(c, attr.name, merge ? { ...current, ...v } : v);
    return;
  }
  const values = asArray(current);
  if (!filter && !rp.sub) {
    const incoming = asArray(coerceAttribute(attr, raw, rp.path, dropped));
    if (mode === 'replace') {
      // RFC 7644 §3.5.2.3: replace without a filter replaces all values.
      setKey(c, attr.name, onePrimary(incoming, incoming));
      return;
    }
    // RFC 7644 §3.5.2.1: add appends, but a value already there is not added again; the sub-attributes sent are
    // merged into it instead.
    const next = [...values];
    const written = incoming.map((v) => {
      const i = next.findIndex((e) => sameElement(attr, e, v));
      if (i < 0) {
        next.push(v);
        return v;
      }
      const merged = isObject(next[i]) && isObject(v) ? { ...next[i], ...v } : next[i];
      next[i] = merged;
      return merged;
    });
    setKey(c, attr.name, onePrimary(next, written));
    return;
  }
  const sub = rp.sub;
  const update = (e: Obj): Obj | undefined => {
    if (sub) {
      const next = { ...e };
      setKey(next, sub.name, coerceValue(sub, raw, rp.path, dropped));
      return next;
    }
    const v = coerceValue(attr, single(raw), rp.path, dropped) as Obj | undefined;
    // RFC 7644 §3.5.2.3: sub-attributes the value does not name stay as they are; replacing with null unassigns.
    return v === undefined && mode === 'replace' ? undefined : { ...e, ...v };
  };
  const hit = (e: unknown): e is Obj => isObject(e) && (!filter || matchesFilter(res, filter, e));
  const written: unknown[] = [];
  const track = (e: Obj | undefined) => (written.push(e), e);
  let next: unknown[];
  if (values.some(hit)) {
    next = values.map((e) => (hit(e) ? track(update(e)) : e));
  } else {
    // Nothing matches. RFC 7644 §3.5.2.3 says noTarget for replace, and add with a filter is undefined; Entra sends
    // `replace emails[type eq "work"].value` for a user without a work email and expects it created. So when the
    // filter is an `eq` conjunction, the value it describes is created; any other filter is noTarget.
    const seed = filter ? eqSeed(filter) : {};
    if (!seed) {
      throw ScimError.noTarget(`No value of '${attr.name}' matches the filter of the path '${rp.path}'`);
    }
    next = [...values, track(update(seed))];
  }
  setKey(c, attr.name, onePrimary(next.filter(present), written));
}

function remove(res: Obj, { rp, filter }: Target, raw: unknown, dropped: string[]): void {
  const attr = rp.attribute;
  const c = containerOf(res, rp);
  const sub = rp.sub;
  if (!attr.multiValued) {
    const current = c[attr.name];
    if (sub && isObject(current)) {
      const { [sub.name]: _, ...rest } = current;
      setKey(c, attr.name, rest);
    } else if (!sub) {
      delete c[attr.name];
    }
    return;
  }
  const values = asArray(c[attr.name]);
  if (!filter && !sub) {
    // Not in RFC 7644 §3.5.2.2, but sent by IdPs (Entra for members): a value list removes just those values.
    const listed = raw === undefined || raw === null ? undefined : asArray(coerceAttribute(attr, raw, rp.path, dropped));
    setKey(c, attr.name, listed ? values.filter((e) => !listed.some((v) => sameElement(attr, e, v))) : undefined);
    return;
  }
  const hit = (e: unknown): e is Obj => isObject(e) && (!filter || matchesFilter(res, filter, e));
  if (filter && !values.some(hit)) {
    throw ScimError.noTarget(`No value of '${attr.name}' matches the filter of the path '${rp.path}' (RFC 7644 §3.5.2.2)`);
  }
  const next = sub
    ? values.map((e) => {
        if (!hit(e)) {
          return e;
        }
        const { [sub.name]: _, ...rest } = e;
        return rest;
      })
    : values.filter((e) => !hit(e));
  setKey(c, attr.name, next.filter(present));
}

/** Applies one operation to `res` in place; `res` is the caller's private copy (see applyPatch). */
export function applyOperation(res: ScimResource, rt: ResourceType, op: PatchOperation, dropped: string[]): void {
  if (op.path === undefined) {
    if (op.op === 'remove') {
      throw ScimError.noTarget('"remove" needs a "path" (RFC 7644 §3.5.2.2)');
    }
    if (!isObject(op.value)) {
      throw ScimError.invalidValue(`"${op.op}" without a "path" needs an object of attributes as its "value"`);
    }
    for (const { rp, value } of expandObject(rt, op.value, dropped)) {
      write(res, { rp }, op.op, value, dropped);
    }
    return;
  }
  const ext = findExtension(rt, op.path);
  if (ext) {
    if (op.op === 'remove') {
      delete res[ext.id];
      return;
    }
    return applyOperation(res, rt, { op: op.op, value: { [ext.id]: op.value } }, dropped);
  }
  if (isForeignSchemaPath(rt, op.path)) {
    dropped.push(op.path);
    return;
  }
  const target = resolveTarget(rt, op.path);
  if (isReadOnly(target.rp)) {
    throw ScimError.mutability(`Attribute '${target.rp.path}' is readOnly and cannot be changed`);
  }
  if (op.op === 'remove') {
    remove(res, target, op.value, dropped);
  } else {
    write(res, target, op.op, op.value, dropped);
  }
}
