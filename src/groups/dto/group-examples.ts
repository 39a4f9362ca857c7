import type { ExamplesObject } from '@nestjs/swagger';
import { URN } from '../../scim';

/*
 * Request examples for /Groups (teams), shaped as Okta and Microsoft Entra ID send them. Each one succeeds when executed
 * as it stands on a fresh server (an e2e test executes them all); the first is what Swagger UI puts in the editor.
 */

/**
 * Member examples name a user by its id, which only the server knows: put the id of one of your users (POST /Users
 * returns it) where this placeholder stands. Sent as it is, the id is no known user, so the member is skipped with a
 * warning in the log (SCIM_UNKNOWN_MEMBERS=ignore, the default) and the request still succeeds.
 */
export const USER_ID_PLACEHOLDER = 'USER_ID';

export const CREATE_GROUP_EXAMPLES: ExamplesObject = {
  entra: {
    summary: 'Microsoft Entra ID: create a group',
    description: 'Entra creates a group without members, then adds them with PATCH. Its object id is the externalId.',
    value: { schemas: [URN.Group], externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159', displayName: 'Sales', members: [] },
  },
  okta: {
    summary: 'Okta: push a group',
    description: 'Push Groups creates the team, then keeps its members in sync with PATCH.',
    value: { schemas: [URN.Group], displayName: 'Engineering', members: [] },
  },
  team: {
    summary: 'A team with its settings (team extension)',
    description: 'The team extension carries a description and free-form metadata, stored and returned as sent.',
    value: {
      schemas: [URN.Group, URN.TeamExtension],
      displayName: 'Platform',
      externalId: 'okta-00g1a2b3c4',
      [URN.TeamExtension]: {
        description: 'Platform engineering: owns the gateway',
        metadata: { monthlyBudgetUsd: 500, models: ['gpt-4o', 'claude-sonnet'] },
      },
    },
  },
};

export const REPLACE_GROUP_EXAMPLES: ExamplesObject = {
  rename: {
    summary: 'Okta: rename with a PUT (members kept)',
    description: 'A PUT without members leaves the membership as it is, and one without the team extension keeps its settings.',
    value: { schemas: [URN.Group], displayName: 'Sales EMEA' },
  },
  settings: {
    summary: 'Replace the team settings',
    description: 'With the extension, description and metadata become exactly what is sent.',
    value: {
      schemas: [URN.Group, URN.TeamExtension],
      displayName: 'Sales EMEA',
      [URN.TeamExtension]: { description: 'Sales, Europe and Middle East', metadata: { monthlyBudgetUsd: 200 } },
    },
  },
};

const patch = (...Operations: object[]) => ({ schemas: [URN.PatchOp], Operations });
const MEMBER_NOTE =
  `Put the id of one of your users where ${USER_ID_PLACEHOLDER} stands (POST /Users returns one); ` +
  'as it stands, the id is no known user and is skipped with a warning in the log (SCIM_UNKNOWN_MEMBERS=ignore, the default).';

export const PATCH_GROUP_EXAMPLES: ExamplesObject = {
  entraAddMember: {
    summary: 'Entra ID: add a member',
    description: `Entra's form: capitalised op and a null $ref; re-adding a member is no error. ${MEMBER_NOTE}`,
    value: patch({ op: 'Add', path: 'members', value: [{ $ref: null, value: USER_ID_PLACEHOLDER }] }),
  },
  entraRemoveMember: {
    summary: 'Entra ID: remove a member (value list)',
    description: `Entra removes members by listing them; removing a non-member is no error. ${MEMBER_NOTE}`,
    value: patch({ op: 'Remove', path: 'members', value: [{ $ref: null, value: USER_ID_PLACEHOLDER }] }),
  },
  oktaAddMembers: {
    summary: 'Okta: add members',
    description: `Okta sends the member's display too, which is ignored (the server fills it in). ${MEMBER_NOTE}`,
    value: patch({ op: 'add', path: 'members', value: [{ value: USER_ID_PLACEHOLDER, display: 'isabella.garcia@example.com' }] }),
  },
  oktaRemoveMember: {
    summary: 'Okta: remove a member (value filter)',
    description: `Several ids may be or-ed in the filter. ${MEMBER_NOTE}`,
    value: patch({ op: 'remove', path: `members[value eq "${USER_ID_PLACEHOLDER}"]` }),
  },
  rename: {
    summary: 'Rename (Entra ID and Okta)',
    value: patch({ op: 'Replace', path: 'displayName', value: 'Sales Team' }),
  },
  oktaRename: {
    summary: 'Okta: rename without a path',
    value: patch({ op: 'replace', value: { displayName: 'Sales' } }),
  },
  metadata: {
    summary: 'Add keys to the team metadata',
    description: 'add merges keys into the stored metadata object; replace would store the new object as it is.',
    value: patch({ op: 'add', path: `${URN.TeamExtension}:metadata`, value: { costCenter: 'CC-4411' } }),
  },
  removeAllMembers: {
    summary: 'Remove all members',
    value: patch({ op: 'remove', path: 'members' }),
  },
};

export const SEARCH_GROUPS_EXAMPLES: ExamplesObject = {
  lookup: {
    summary: "Entra ID's group lookup",
    description: 'By displayName, without members: the membership table is then not read.',
    value: { schemas: [URN.SearchRequest], filter: 'displayName eq "Sales"', excludedAttributes: ['members'] },
  },
  page: {
    summary: 'A page of teams',
    value: { schemas: [URN.SearchRequest], startIndex: 1, count: 100 },
  },
  cursor: {
    summary: 'RFC 9865: teams by displayName, without members, by cursor',
    description: 'An empty cursor asks for the first page; pass the nextCursor of the answer as cursor for the next page.',
    value: { schemas: [URN.SearchRequest], sortBy: 'displayName', count: 50, excludedAttributes: ['members'], cursor: '' },
  },
};
