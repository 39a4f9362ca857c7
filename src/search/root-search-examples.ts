import type { ExamplesObject } from '@nestjs/swagger';
import { URN } from '../scim';

/*
 * Request examples for POST /.search at the service root. Each one succeeds when executed as it stands (an e2e test
 * executes them all); the first is what Swagger UI puts in the editor.
 */

export const ROOT_SEARCH_EXAMPLES: ExamplesObject = {
  displayName: {
    summary: 'Users and teams whose displayName starts with "A", sorted, 10 at most',
    description: 'Both types have displayName, so both are searched: the users first, then the teams, each sorted by displayName.',
    value: { schemas: [URN.SearchRequest], filter: 'displayName sw "A"', sortBy: 'displayName', sortOrder: 'ascending', count: 10 },
  },
  externalId: {
    summary: 'Whatever an IdP object id stands for',
    description: 'externalId is on users and teams alike: one request finds the resource an IdP object became, of either type.',
    value: { schemas: [URN.SearchRequest], filter: 'externalId eq "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159"', attributes: ['externalId'] },
  },
  cursor: {
    summary: 'RFC 9865: the first page by cursor',
    description:
      'An empty cursor asks for the first page of cursor paging; pass the nextCursor of the answer as cursor for the next one. ' +
      'A cursor page holds one type: the users, then the teams.',
    value: { schemas: [URN.SearchRequest], cursor: '', count: 2 },
  },
};
