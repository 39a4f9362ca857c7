import type { ExamplesObject } from '@nestjs/swagger';
import { URN } from '../../scim';

/*
 * Request examples for /Bulk. Okta and Entra ID themselves send one request per change, not Bulk; these carry the
 * bodies each of them sends, as a migration script or a custom connector would batch them. Each one succeeds, every
 * operation included, when executed as it stands on a fresh server (an e2e test executes them all); the first is what
 * Swagger UI puts in the editor. Later operations reference what an earlier POST creates by its bulkId.
 */

const bulk = (...Operations: object[]) => ({ schemas: [URN.BulkRequest], failOnErrors: 1, Operations });
const patch = (...Operations: object[]) => ({ schemas: [URN.PatchOp], Operations });

export const BULK_EXAMPLES: ExamplesObject = {
  okta: {
    summary: 'Okta shapes: a user, and a pushed team with the user as member',
    description:
      "The user in Okta's default profile, then Push Groups' create and member add, the member named by the user's bulkId. " +
      'failOnErrors 1: stop at the first failure.',
    value: bulk(
      {
        method: 'POST',
        path: '/Users',
        bulkId: 'marcus',
        data: {
          schemas: [URN.User],
          userName: 'marcus.lee@example.com',
          name: { givenName: 'Marcus', familyName: 'Lee' },
          emails: [{ primary: true, value: 'marcus.lee@example.com', type: 'work' }],
          displayName: 'Marcus Lee',
          locale: 'en-US',
          externalId: '00u9z8y7x6W5v4U3t2s1',
          groups: [],
          active: true,
        },
      },
      { method: 'POST', path: '/Groups', bulkId: 'design', data: { schemas: [URN.Group], displayName: 'Design', members: [] } },
      {
        method: 'PATCH',
        path: '/Groups/bulkId:design',
        data: patch({ op: 'add', path: 'members', value: [{ value: 'bulkId:marcus', display: 'marcus.lee@example.com' }] }),
      },
    ),
  },
  entra: {
    summary: 'Microsoft Entra ID shapes: a manager, an employee reporting to them, a disable',
    description:
      "Users in Entra's default attribute mappings with the Enterprise User extension; the employee's manager is the manager's " +
      'bulkId, and the disable is Entra\'s PATCH with active "False" as a string.',
    value: bulk(
      {
        method: 'POST',
        path: '/Users',
        bulkId: 'megan',
        data: {
          schemas: [URN.User, URN.EnterpriseUser],
          externalId: '3c5e2a71-94d4-4c1b-a3e9-0e6f1f2b8d14',
          userName: 'megan.bowen@example.com',
          active: true,
          displayName: 'Megan Bowen',
          name: { formatted: 'Megan Bowen', familyName: 'Bowen', givenName: 'Megan' },
          emails: [{ primary: true, type: 'work', value: 'megan.bowen@example.com' }],
          [URN.EnterpriseUser]: { department: 'Marketing' },
        },
      },
      {
        method: 'POST',
        path: '/Users',
        bulkId: 'lee',
        data: {
          schemas: [URN.User, URN.EnterpriseUser],
          externalId: '7f1d9b02-6c3a-4e8f-b5d7-2a9c4e6f8b10',
          userName: 'lee.gu@example.com',
          active: true,
          displayName: 'Lee Gu',
          name: { formatted: 'Lee Gu', familyName: 'Gu', givenName: 'Lee' },
          emails: [{ primary: true, type: 'work', value: 'lee.gu@example.com' }],
          [URN.EnterpriseUser]: { department: 'Marketing', manager: { value: 'bulkId:megan' } },
        },
      },
      { method: 'PATCH', path: '/Users/bulkId:lee', data: patch({ op: 'Replace', path: 'active', value: 'False' }) },
    ),
  },
};
