import { indexable } from '../database/indexed-text';
import { locationOf, resourceMeta, ScimResource } from '../scim';
import { GroupEntity, type MemberRow } from './group.entity';

export type GroupColumns = Pick<GroupEntity, 'displayName' | 'externalId' | 'data'>;

/** Columns from a canonical Group whose members were taken out. */
export const toColumns = (resource: ScimResource): GroupColumns => ({
  displayName: indexable('displayName', resource.displayName as string),
  externalId: indexable('externalId', typeof resource.externalId === 'string' ? resource.externalId : null),
  data: resource,
});

export const toScimMember = (m: MemberRow, baseUrl: string) => ({
  value: m.memberId,
  $ref: locationOf(m.type, m.memberId, baseUrl),
  display: m.display,
  type: m.type,
});

/** The SCIM Group: `data`, id, meta, and `members` when they were loaded. */
export const toScimGroup = (row: GroupEntity, baseUrl: string, members?: readonly MemberRow[]): ScimResource => ({
  // jsonb keeps its own key order; schemas and id lead, as in the RFC's examples.
  schemas: row.data.schemas,
  id: row.id,
  ...row.data,
  ...(members && members.length > 0 && { members: members.map((m) => toScimMember(m, baseUrl)) }),
  meta: resourceMeta('Group', row, baseUrl),
});
