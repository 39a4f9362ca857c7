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
import { checkValueCount } from '../limits';
import { parsePath } from '../path/parse-path';
import { coerceAttribute, coerceValue, isObject, isPrimary, present, ScimResource } from '../schema/coerce';
import { canonicalPath, findExtension, isForeignSchemaPath, ResolvedPath, resolvePath, ResourceType } from '../schema/registry';
import { keepIndex, passIndex, takeIndex, withoutListed } from './element-index';
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
      if (value === null) {
        return []; // unassigned (RFC 7643 §2.5): a PUT naming the extension as null removes it
      }
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

/**
 * Case-folded long strings per value of a multi-valued attribute. Each operation with a value filter folds the strings
 * it compares; with this memo a PATCH folds each long stored string once, not once per operation (1,000 operations
 * over 1,000 values of 1,000 characters would fold a gigabyte). The next version of a value, written by the same
 * PATCH, takes the memo over. Short strings fold faster than a memo could look them up.
 */
const folds = new WeakMap<Obj, Map<string, string>>();
const LONG = 200;

/** foldCase for the strings of one value `e`, memoised per value when they are long. */
function foldsOf(e: Obj): (s: string) => string {
  return (s) => {
    if (s.length < LONG) {
      return foldCase(s);
    }
    let memo = folds.get(e);
    if (!memo) {
      memo = new Map();
      folds.set(e, memo);
    }
    let folded = memo.get(s);
    if (folded === undefined) {
      folded = foldCase(s);
      memo.set(s, folded);
    }
    return folded;
  };
}

function carryFolds<T extends Obj | undefined>(from: Obj, to: T): T {
  const memo = folds.get(from);
  if (memo && to) {
    folds.set(to, memo);
  }
  return to;
}

/** Which values a value filter selects (all objects when there is none); the filter runs once per value. */
const matches = (res: Obj, values: readonly unknown[], filter: BoundFilter | undefined): boolean[] =>
  values.map((e) => isObject(e) && (!filter || matchesFilter(res, filter, e, hasLongString(e) ? foldsOf(e) : foldCase)));

/** Whether any sub-attribute of `e` is a long string (sub-attributes of values are scalars). */
const hasLongString = (e: Obj): boolean => {
  for (const key in e) {
    const v = e[key];
    if (typeof v === 'string' && v.length >= LONG) {
      return true;
    }
  }
  return false;
};

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
    if (merge && attr.freeForm) {
      // In place: `current` belongs to `res`, and metadata may have 50,000 keys, too many to copy for every operation
      // of a PATCH. `v` is a non-empty coerced copy whose keys passed checkJsonShape (no `__proto__`).
      for (const [key, x] of Object.entries(v)) {
        current[key] = x;
      }
      return;
    }
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
    // merged into it instead (element-index.ts says when two values are the same).
    const next = [...values];
    const index = takeIndex(attr, current, next);
    const written = incoming.map((v) => {
      const i = index.find(v);
      if (i === undefined) {
        index.append(next.length, v);
        next.push(v);
        return v;
      }
      const before = next[i];
      const merged = isObject(before) && isObject(v) ? { ...before, ...v } : before;
      index.merged(i, before, merged);
      next[i] = merged;
      return merged;
    });
    const result = onePrimary(next, written);
    // onePrimary rewrites values only to unset `primary`, which changes no value's key unless it is keyed as a whole.
    if (result === next || !index.hasWholeValues) {
      keepIndex(result, index);
    }
    setKey(c, attr.name, result);
    return;
  }
  const sub = rp.sub;
  // Coerced once, when the first value is written: every value the filter selects gets the same.
  let coerced: { v: unknown } | undefined;
  const value = () =>
    (coerced ??= { v: sub ? coerceValue(sub, raw, rp.path, dropped) : coerceValue(attr, single(raw), rp.path, dropped) }).v;
  const update = (e: Obj): Obj | undefined => {
    if (sub) {
      const next = { ...e };
      setKey(next, sub.name, value());
      return next;
    }
    const v = value() as Obj | undefined;
    // RFC 7644 §3.5.2.3: sub-attributes the value does not name stay as they are; replacing with null unassigns.
    return v === undefined && mode === 'replace' ? undefined : { ...e, ...v };
  };
  const hits = matches(res, values, filter);
  const written: unknown[] = [];
  const track = (e: Obj | undefined) => (written.push(e), e);
  let next: unknown[];
  if (hits.includes(true)) {
    next = values.map((e, i) => (hits[i] ? track(carryFolds(e as Obj, update(e as Obj))) : e));
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
  const result = onePrimary(next.filter(present), written);
  // Setting a sub-attribute other than value and type in place keeps every value's identity and position.
  if (sub && sub.name !== 'value' && sub.name !== 'type' && result.length === values.length) {
    passIndex(current, result);
  }
  setKey(c, attr.name, result);
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
    setKey(c, attr.name, listed ? withoutListed(attr, values, listed) : undefined);
    return;
  }
  const hits = matches(res, values, filter);
  if (filter && !hits.includes(true)) {
    throw ScimError.noTarget(`No value of '${attr.name}' matches the filter of the path '${rp.path}' (RFC 7644 §3.5.2.2)`);
  }
  const next = sub
    ? values.map((e, i) => {
        if (!hits[i]) {
          return e;
        }
        const { [sub.name]: _, ...rest } = e as Obj;
        return carryFolds(e as Obj, rest);
      })
    : values.filter((_, i) => !hits[i]);
  setKey(c, attr.name, next.filter(present));
}

/**
 * MAX_VALUES holds after every write, not just at the end, so that no later operation of the same PATCH works on more
 * values than that. Group members never get here: they are a delta (member-ops.ts), exempt from this cap.
 */
function checkValues(res: Obj, rp: ResolvedPath): void {
  const container = rp.extension ? res[rp.schema.id] : res;
  const values = isObject(container) ? container[rp.attribute.name] : undefined;
  if (rp.attribute.multiValued && Array.isArray(values)) {
    checkValueCount(canonicalPath(rp.schema, rp.extension, rp.attribute), values.length);
  }
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
      checkValues(res, rp);
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
    checkValues(res, target.rp);
  }
}
