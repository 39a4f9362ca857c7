import type { ExamplesObject } from '@nestjs/swagger';

/*
 * Request examples for the API key routes. Each one gets a documented answer when executed as it stands (an e2e test
 * executes them all); the first is what Swagger UI puts in the editor.
 */

export const CREATE_API_KEY_EXAMPLES: ExamplesObject = {
  laptop: {
    summary: 'A key that expires in 90 days',
    description: 'For a person: the name says where the key is used, and it stops working after expiresInDays.',
    value: { name: 'laptop', expiresInDays: 90 },
  },
  service: {
    summary: 'A key without expiry',
    description: 'For a service account or a CI pipeline; revoke it with DELETE /admin/api-keys/{keyId} when it is no longer needed.',
    value: { name: 'CI pipeline' },
  },
};

/** The shape of a key this server issues; as it stands, no key has it, so the answer is {"active": false}. */
const SAMPLE_KEY = 'sk_Ab3dE9xQ7mKpL2vR8sTn4wYz6cHf1jGb5uNq0eDx3Ak';
const PUT_A_KEY =
  'Put the "key" of a POST /admin/users/{id}/api-keys answer in token to see a live key; as it stands, the answer is {"active": false}.';

export const INTROSPECT_EXAMPLES: ExamplesObject = {
  rfc7662: {
    summary: 'RFC 7662 §2.1: token=<API key>',
    description: `What an OAuth 2.0 resource server sends (as a form, token=…). ${PUT_A_KEY}`,
    value: { token: SAMPLE_KEY },
  },
  withHint: {
    summary: 'With token_type_hint',
    description: `token_type_hint is accepted and ignored: this server issues one kind of token. ${PUT_A_KEY}`,
    value: { token: SAMPLE_KEY, token_type_hint: 'api_key' },
  },
};
