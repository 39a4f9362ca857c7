/** Public face of the SCIM protocol core: pure functions and readonly data, no framework. */
export { ScimError } from './errors';
export type { ScimErrorBody, ScimType } from './errors';
export { isUuid } from './ids';
export { checkJsonShape, parseJson } from './json-shape';
export { MAX_JSON_DEPTH, MAX_MEMBERS_PER_REQUEST, MAX_OPERATIONS, MAX_VALUES } from './limits';
export { SCIM_CONTENT_TYPE, URN } from './urns';

export type { AttributeDef, AttributeType, Mutability, Returned, SchemaDef, Uniqueness } from './schema/attribute';
export { isObject, jsonEqual } from './schema/coerce';
export type { ScimResource } from './schema/coerce';
export { commonAttributes } from './schema/common.schema';
export { groupSchema, teamExtensionSchema } from './schema/group.schema';
export {
  allSchemas,
  findExtension,
  groupResourceType,
  resolvePath,
  resourceType,
  resourceTypes,
  sameName,
  userResourceType,
} from './schema/registry';
export type { ResolvedPath, ResourceType, ResourceTypeRef } from './schema/registry';
export { renderResourceType, renderSchema } from './schema/render';
export type { AttributeRepresentation, ConfiguredValues, ResourceTypeRepresentation, SchemaRepresentation } from './schema/render';
export { enterpriseUserSchema, userSchema } from './schema/user.schema';
export { keepOmittedExtensions, validateResource } from './schema/validate-resource';
export type { ValidatedResource } from './schema/validate-resource';

export { COMPARE_OPS, assertNever } from './filter/ast';
export type { AttrPath, BoundFilter, CompareOp, Filter, FilterOf, Literal } from './filter/ast';
export { bindFilter } from './filter/bind-filter';
export { listFilter } from './filter/list-filter';
export { foldCase, matchesFilter } from './filter/matches-filter';
export { parseFilter } from './filter/parse-filter';

export { applyPatch } from './patch/apply-patch';
export type { PatchResult } from './patch/apply-patch';
export type { MemberOp, MemberRef, MembershipOptions } from './patch/member-ops';
export { parsePatchRequest } from './patch/patch-request';
export type { PatchOpName, PatchOperation } from './patch/patch-request';

export { circularReference, planBulk, referencesOf, resolveReferences } from './bulk/bulk-plan';
export type { BulkPlan, BulkStep } from './bulk/bulk-plan';
export { parseBulkOperation, parseBulkRequest } from './bulk/bulk-request';
export type { BulkMethod, BulkOperation, BulkRequest, InvalidBulkOperation, ParsedBulkOperation } from './bulk/bulk-request';
export { bulkFailure, bulkResponse, bulkSuccess } from './bulk/bulk-response';
export type { BulkResponse, BulkResult } from './bulk/bulk-response';
export { CursorCodec } from './list/cursor';
export type { CursorPosition } from './list/cursor';
export { listResponse, queryFingerprint, toPaging } from './list/list-response';
export type { ListParams, ListResponse, PagePosition, Paging } from './list/list-response';
export { isRequested, parseAttributeList, project } from './list/projection';
export type { ProjectionQuery } from './list/projection';
export { isSortable, resolveSort } from './list/sort';
export type { Sort } from './list/sort';
export { checkIfMatch, etagMatches, etagOf, locationOf, resourceMeta, resourceVersion } from './meta';
export type { Versioned } from './meta';
