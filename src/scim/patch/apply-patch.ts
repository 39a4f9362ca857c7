import { ScimError } from '../errors';
import { ScimResource } from '../schema/coerce';
import { resourceType, ResourceTypeRef } from '../schema/registry';
import { assertRequired, withSchemas } from '../schema/validate-resource';
import { applyOperation } from './apply-operation';
import { extractMemberOps, MemberOp } from './member-ops';
import { parseOperation } from './patch-request';

export interface PatchResult {
  readonly resource: ScimResource;
  /** Group membership changes in request order; always empty for Users. */
  readonly memberOps: readonly MemberOp[];
  /** Unknown attributes ignored in values, for the caller to log. */
  readonly dropped: readonly string[];
}

/**
 * RFC 7644 §3.5.2 PATCH, pure and atomic: `resource` is never mutated, and the first failing operation throws
 * before anything is returned. `operations` is the `Operations` array (each one is validated here too; use
 * parsePatchRequest for the whole envelope). Removing a required attribute, or leaving it unassigned, is a 400
 * `mutability` (RFC 7644 §3.5.2.2).
 */
export function applyPatch(resource: ScimResource, operations: readonly unknown[], ref: ResourceTypeRef): PatchResult {
  const rt = resourceType(ref);
  const res = structuredClone(resource);
  const memberOps: MemberOp[] = [];
  const dropped: string[] = [];
  operations.map(parseOperation).forEach((op) => {
    const { memberOps: ops, rest } = extractMemberOps(rt, op, dropped);
    memberOps.push(...ops);
    if (rest) {
      applyOperation(res, rt, rest, dropped);
    }
  });
  assertRequired(rt, res, ScimError.mutability, 'and cannot be removed (RFC 7644 §3.5.2.2)');
  return { resource: withSchemas(rt, res), memberOps, dropped };
}
