import { ScimError } from '../errors';
import { assertNever, BoundFilter } from '../filter/ast';
import { bindFilter } from '../filter/bind-filter';
import { checkMemberCount } from '../limits';
import { parsePath } from '../path/parse-path';
import { AttributeDef } from '../schema/attribute';
import { coerceValue, isObject } from '../schema/coerce';
import { findByName, ResolvedPath, resolvePath, ResourceType } from '../schema/registry';
import { userSchema } from '../schema/user.schema';
import { PatchOperation } from './patch-request';

export interface MemberRef {
  readonly value: string;
  readonly type?: 'User' | 'Group';
}

/** A change to a Group's membership, for the caller to run in SQL, in request order. */
export type MemberOp =
  | { readonly kind: 'add'; readonly members: readonly MemberRef[] }
  | { readonly kind: 'remove'; readonly values: readonly string[] }
  | { readonly kind: 'removeAll' }
  | { readonly kind: 'replace'; readonly members: readonly MemberRef[] };

/**
 * A User's `groups` as the writable attribute it is where the server lets clients set a user's teams (POST always;
 * PUT and PATCH with SCIM_USER_GROUPS_WRITABLE): `value` names a team; `display`, `$ref` and `type` are ignored.
 */
const WRITABLE_GROUPS: AttributeDef = (() => {
  const groups = findByName(userSchema.attributes, 'groups') as AttributeDef;
  const subAttributes = groups.subAttributes?.map((s) => (s.name === 'value' ? { ...s, mutability: 'readWrite' as const } : s));
  return { ...groups, mutability: 'readWrite', subAttributes };
})();

/** Options of the engine: whether a User's `groups` may be written (its memberships then come out as MemberOps). */
export interface MembershipOptions {
  readonly userGroups?: boolean;
}

/** The attribute whose values are memberships, kept in the membership table: a Group's members, or a User's teams. */
const membersDef = (rt: ResourceType, o: MembershipOptions = {}): AttributeDef | undefined =>
  rt.id === 'Group' ? findByName(rt.schema.attributes, 'members') : o.userGroups ? WRITABLE_GROUPS : undefined;

const isMembership = (rp: ResolvedPath | undefined, def: AttributeDef) =>
  rp !== undefined && !rp.extension && rp.attribute.name === def.name;

/** Validates member references as sent: each needs a `value` holding the member's id (400 invalidValue). */
function toMembers(def: AttributeDef, raw: unknown, dropped: string[]): MemberRef[] {
  const list: unknown[] = Array.isArray(raw) ? raw : [raw];
  checkMemberCount(list.length);
  return list.map((one: unknown) => {
    const m = coerceValue(def, one, def.name, dropped);
    if (!isObject(m) || typeof m.value !== 'string') {
      const whose = def === WRITABLE_GROUPS ? "the team's (Group's) id" : "the member's id";
      throw ScimError.invalidValue(`Each value of '${def.name}' needs a "value" holding ${whose}; got ${JSON.stringify(one)}`);
    }
    return m.type === undefined ? { value: m.value } : { value: m.value, type: m.type as 'User' | 'Group' };
  });
}

/** `value eq "a"`, or several joined by `or` (Okta and Entra remove members this way). */
function memberIds(f: BoundFilter): string[] {
  switch (f.op) {
    case 'or':
      return [...memberIds(f.left), ...memberIds(f.right)];
    case 'compare':
      if (f.operator === 'eq' && f.path.sub?.name === 'value' && typeof f.value === 'string') {
        return [f.value];
      }
      break;
    case 'and':
    case 'not':
    case 'pr':
    case 'valuePath':
      break;
    default:
      return assertNever(f);
  }
  throw ScimError.invalidFilter('A members filter supports only value eq "<id>", optionally joined with or');
}

/**
 * Group membership is a delta, not a list: operations on `members` become MemberOps and never touch the resource, so
 * a 10 000-member group is never loaded or rewritten. Returns the rest of the operation (a no-path value without its
 * `members` key) for the ordinary engine, or no rest when the operation was only about members.
 */
export function extractMemberOps(
  rt: ResourceType,
  op: PatchOperation,
  dropped: string[],
  options: MembershipOptions = {},
): { memberOps: MemberOp[]; rest?: PatchOperation } {
  const def = membersDef(rt, options);
  if (!def) {
    return { memberOps: [], rest: op };
  }
  if (op.path === undefined) {
    const value = op.value;
    if (op.op === 'remove' || !isObject(value)) {
      return { memberOps: [], rest: op };
    }
    const keys = new Set(Object.keys(value).filter((k) => isMembership(resolvePath(rt, k), def)));
    if (keys.size === 0) {
      return { memberOps: [], rest: op };
    }
    // Several spellings of `members` in one value (`members`, `Members`, …) make one operation: adds add them all,
    // and replaces leave the last list, as they would one after the other. Each list is validated.
    const lists = [...keys].map((k) => toMembers(def, value[k], dropped));
    const members = op.op === 'add' ? lists.flat() : (lists.at(-1) ?? []);
    const rest = Object.fromEntries(Object.entries(value).filter(([k]) => !keys.has(k)));
    return { memberOps: [{ kind: op.op, members }], rest: Object.keys(rest).length > 0 ? { ...op, value: rest } : undefined };
  }
  const parsed = parsePath(op.path);
  const rp = resolvePath(rt, parsed.attribute.text);
  if (!rp || !isMembership(rp, def)) {
    return { memberOps: [], rest: op };
  }
  if (rp.sub || parsed.sub || (parsed.filter && op.op !== 'remove')) {
    // members.value, $ref and type are immutable (RFC 7643 §4.2); a member is added or removed as a whole.
    throw ScimError.invalidPath(`'${op.path}': use "add"/"replace" on "${def.name}" or "remove" on ${def.name}[value eq "<id>"]`);
  }
  if (parsed.filter) {
    return { memberOps: [{ kind: 'remove', values: memberIds(bindFilter(parsed.filter, rt, rp)) }] };
  }
  switch (op.op) {
    case 'add':
    case 'replace':
      return { memberOps: [{ kind: op.op, members: toMembers(def, op.value, dropped) }] };
    case 'remove':
      return {
        memberOps: [
          op.value === undefined || op.value === null
            ? { kind: 'removeAll' }
            : { kind: 'remove', values: toMembers(def, op.value, dropped).map((m) => m.value) },
        ],
      };
    default:
      return assertNever(op.op);
  }
}

/** How many members the operations name, for the per-request cap. */
export const memberCount = (ops: readonly MemberOp[]): number =>
  ops.reduce((n, op) => n + (op.kind === 'remove' ? op.values.length : op.kind === 'removeAll' ? 0 : op.members.length), 0);

/**
 * Splits the `members` off a POST or PUT body, validated as PATCH validates them (toMembers): `members` is undefined
 * when the body has no such key, [] for null or an empty list. Of several spellings of the key, the last one counts,
 * as it does for the body's other attributes.
 */
export function splitMembers(
  rt: ResourceType,
  body: Record<string, unknown>,
  dropped: string[],
  options: MembershipOptions = {},
): { members?: MemberRef[]; rest: Record<string, unknown> } {
  const def = membersDef(rt, options);
  if (!def) {
    return { rest: body };
  }
  let members: MemberRef[] | undefined;
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!isMembership(resolvePath(rt, key), def)) {
      rest[key] = value;
    } else {
      // RFC 7643 §2.5: null is unassigned, which for the members of a whole Group means none.
      members = value === null ? [] : toMembers(def, value, dropped);
    }
  }
  return { members, rest };
}
