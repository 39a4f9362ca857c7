import { indexable } from '../database/indexed-text';
import { foldCase, locationOf, resourceMeta, resourceVersion, ScimResource } from '../scim';
import { UserEntity } from './user.entity';

export type UserColumns = Pick<
  UserEntity,
  'userName' | 'externalId' | 'displayName' | 'active' | 'primaryEmail' | 'emails' | 'role' | 'data'
>;

interface MultiValue {
  value?: unknown;
  primary?: unknown;
}

const values = (v: unknown): MultiValue[] => (Array.isArray(v) ? (v as MultiValue[]) : []);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The value marked primary, else the first (RFC 7643 §2.4). */
export const primaryValue = (v: unknown): string | null => {
  const list = values(v).filter((e) => typeof e.value === 'string');
  return str((list.find((e) => e.primary === true) ?? list[0])?.value);
};

/**
 * The role a user's `roles` give: the highest-ranked value that names one of `userRoles` (rank is the order of
 * USER_ROLES, first highest; names compared case-insensitively), whether or not it is primary; `fallback` when none
 * does. Values outside USER_ROLES are kept as sent and never fail the user (Entra quarantines a job for a 400).
 */
export function rankedRole(roles: unknown, userRoles: readonly string[], fallback: string): string {
  let best = userRoles.length;
  for (const e of values(roles)) {
    const rank = typeof e.value === 'string' ? userRoles.indexOf(e.value.toLowerCase()) : -1;
    if (rank >= 0 && rank < best) {
      best = rank;
    }
  }
  return userRoles[best] ?? fallback;
}

/**
 * Flat columns from a canonical User (password already removed). `active` defaults to true and is kept in `data`
 * too, so that `data` alone is the canonical resource the PATCH engine works on.
 */
export function toColumns(resource: ScimResource, role: string): UserColumns {
  const active = resource.active !== false;
  return {
    userName: indexable('userName', resource.userName as string),
    externalId: indexable('externalId', str(resource.externalId)),
    displayName: indexable('displayName', str(resource.displayName)),
    active,
    primaryEmail: primaryValue(resource.emails),
    emails: [
      ...new Set(
        values(resource.emails).flatMap((e) => (typeof e.value === 'string' ? [indexable('emails.value', foldCase(e.value))] : [])),
      ),
    ],
    role,
    data: { ...resource, active },
  };
}

/** The user's version: its row's, followed by its teams (see resourceVersion). */
export const userVersion = (row: UserEntity): number | string => resourceVersion(row.version, row.groups);

/** The SCIM User: `data` plus id, the derived `groups` (direct memberships), and meta. */
export const toScimUser = (row: UserEntity, baseUrl: string): ScimResource => ({
  // jsonb keeps its own key order; schemas and id lead, as in the RFC's examples.
  schemas: row.data.schemas,
  id: row.id,
  ...row.data,
  ...(row.groups.length > 0 && {
    groups: row.groups.map((g) => ({
      value: g.groupId,
      $ref: locationOf('Group', g.groupId, baseUrl),
      display: g.display,
      type: 'direct',
    })),
  }),
  meta: resourceMeta('User', { ...row, version: userVersion(row) }, baseUrl),
});
