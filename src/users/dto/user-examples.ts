import type { ExamplesObject } from '@nestjs/swagger';
import { URN } from '../../scim';

/*
 * Request examples for /Users, shaped as Okta and Microsoft Entra ID send them. Each one succeeds when executed as it
 * stands on a fresh server (an e2e test executes them all); the first is what Swagger UI puts in the editor. PUT and
 * PATCH examples apply to any user, such as the one the first POST example creates.
 */

const OKTA_USER_NAME = 'isabella.garcia@example.com';

export const CREATE_USER_EXAMPLES: ExamplesObject = {
  okta: {
    summary: 'Okta: create a user',
    description:
      "Okta's default profile: name, work email, locale, its own user id as externalId, and a password when Sync Password is on.",
    value: {
      schemas: [URN.User],
      userName: OKTA_USER_NAME,
      name: { givenName: 'Isabella', familyName: 'Garcia' },
      emails: [{ primary: true, value: OKTA_USER_NAME, type: 'work' }],
      displayName: 'Isabella Garcia',
      locale: 'en-US',
      externalId: '00u1a2b3c4D5e6F7g8h9',
      groups: [],
      password: 'Correct-Horse-Battery-9',
      active: true,
    },
  },
  entra: {
    summary: 'Microsoft Entra ID: create a user',
    description:
      "Entra's default attribute mappings: the object id as externalId, work email, address and phones, the Enterprise User extension, " +
      'and an app role that picks the application role (USER_ROLES). Entra also sends meta.resourceType, which is ignored.',
    value: {
      schemas: [URN.User, URN.EnterpriseUser],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'adele.vance@example.com',
      active: true,
      displayName: 'Adele Vance',
      title: 'Product Marketing Manager',
      preferredLanguage: 'en-US',
      name: { formatted: 'Adele Vance', familyName: 'Vance', givenName: 'Adele' },
      emails: [{ primary: true, type: 'work', value: 'adele.vance@example.com' }],
      addresses: [
        {
          type: 'work',
          formatted: '18 Main Street, Seattle, WA 98101, US',
          streetAddress: '18 Main Street',
          locality: 'Seattle',
          region: 'WA',
          postalCode: '98101',
          country: 'US',
          primary: false,
        },
      ],
      phoneNumbers: [
        { type: 'work', value: '+1 206 555 0109' },
        { type: 'mobile', value: '+1 206 555 0110' },
      ],
      roles: [{ primary: 'True', type: 'WindowsAzureActiveDirectoryRole', value: 'member' }],
      meta: { resourceType: 'User' },
      [URN.EnterpriseUser]: { employeeNumber: '701984', department: 'Retail', costCenter: 'CC-4411', organization: 'Contoso' },
    },
  },
  minimal: {
    summary: 'The smallest valid user',
    description: 'Only userName is required. The user is active and gets DEFAULT_USER_ROLE.',
    value: { schemas: [URN.User], userName: 'alex.wilber@example.com' },
  },
};

export const REPLACE_USER_EXAMPLES: ExamplesObject = {
  okta: {
    summary: 'Okta: profile update (PUT of the whole user)',
    description:
      'Okta pushes profile changes as a PUT of the full profile. What the body leaves out is removed, except active, which a PUT ' +
      'without it keeps. (The userName is the one of the first POST example; give your user its own.)',
    value: {
      schemas: [URN.User],
      userName: OKTA_USER_NAME,
      name: { givenName: 'Isabella', familyName: 'Garcia-Lopez' },
      emails: [{ primary: true, value: OKTA_USER_NAME, type: 'work' }],
      displayName: 'Isabella Garcia-Lopez',
      locale: 'en-US',
      externalId: '00u1a2b3c4D5e6F7g8h9',
      groups: [],
      active: true,
    },
  },
  oktaDeactivate: {
    summary: 'Okta: deactivate (PUT with active false)',
    description: 'Okta deactivates with active: false, never with DELETE; the user stays and can be reactivated.',
    value: {
      schemas: [URN.User],
      userName: OKTA_USER_NAME,
      name: { givenName: 'Isabella', familyName: 'Garcia-Lopez' },
      emails: [{ primary: true, value: OKTA_USER_NAME, type: 'work' }],
      displayName: 'Isabella Garcia-Lopez',
      active: false,
    },
  },
};

const patch = (...Operations: object[]) => ({ schemas: [URN.PatchOp], Operations });

export const PATCH_USER_EXAMPLES: ExamplesObject = {
  entraUpdate: {
    summary: 'Entra ID: update attributes (capitalised ops, filtered paths)',
    description: 'Entra capitalises op and sets a work email through a value filter, which creates it when the user has none.',
    value: patch(
      { op: 'Replace', path: 'displayName', value: 'Isabella G.' },
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'isabella.g@example.com' },
      { op: 'Add', path: 'title', value: 'Staff Engineer' },
      { op: 'Replace', path: 'name.familyName', value: 'Garcia' },
    ),
  },
  entraDisable: {
    summary: 'Entra ID: disable (active "False" as a string)',
    description: 'What Entra sends when a user is unassigned or soft-deleted. The string "False" is read as the boolean false.',
    value: patch({ op: 'Replace', path: 'active', value: 'False' }),
  },
  oktaDeactivate: {
    summary: 'Okta: deactivate (no path, active false)',
    description: 'Okta sends a replace without a path whose value holds the attributes to set.',
    value: patch({ op: 'replace', value: { active: false } }),
  },
  reactivate: {
    summary: 'Reactivate',
    description: 'Both IdPs set active back to true when a user is assigned again.',
    value: patch({ op: 'replace', path: 'active', value: true }),
  },
  enterprise: {
    summary: 'Set an Enterprise User attribute',
    description: 'A URN-qualified path into the Enterprise User extension.',
    value: patch({ op: 'Add', path: `${URN.EnterpriseUser}:department`, value: 'Platform' }),
  },
  removeTitle: {
    summary: 'Remove an attribute',
    description: 'A remove unassigns; an attribute that is already absent is no error.',
    value: patch({ op: 'remove', path: 'title' }),
  },
};

export const SEARCH_USERS_EXAMPLES: ExamplesObject = {
  startsWith: {
    summary: 'Users whose userName starts with "a", two attributes each',
    value: { schemas: [URN.SearchRequest], filter: 'userName sw "a"', attributes: ['userName', 'displayName'], startIndex: 1, count: 10 },
  },
  probe: {
    summary: "An IdP's existence probe",
    description: 'Entra and Okta look a user up by userName before creating it; no match is an empty list, not an error.',
    value: { schemas: [URN.SearchRequest], filter: 'userName eq "adele.vance@example.com"', attributes: ['userName', 'active'] },
  },
  cursor: {
    summary: 'RFC 9865: active users by userName, a page of 2 by cursor',
    description:
      'An empty cursor asks for the first page of cursor paging; pass the nextCursor of the answer as cursor for the next page, ' +
      'with the same filter and sort. Cursors expire after an hour.',
    value: { schemas: [URN.SearchRequest], filter: 'active eq true', sortBy: 'userName', count: 2, cursor: '' },
  },
};
