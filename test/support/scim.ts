import request from 'supertest';
import { TestApp } from './app';

export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const SCIM_JSON = 'application/scim+json; charset=utf-8';

let seq = 0;

/** A unique User body with overrides (counter-based names, never Date.now()). */
export const makeUser = (o: Record<string, unknown> = {}) => {
  seq += 1;
  return {
    schemas: [USER],
    userName: `user${seq}@example.com`,
    name: { givenName: 'Test', familyName: `User${seq}` },
    emails: [{ value: `user${seq}@example.com`, type: 'work', primary: true }],
    active: true,
    ...o,
  };
};

export const patchOp = (...Operations: object[]) => ({ schemas: [PATCH_OP], Operations });

/** A supertest agent bound to /scim/v2 with the bearer token. */
export function scimClient(t: TestApp, token: string) {
  const auth = { Authorization: `Bearer ${token}` };
  return {
    get: (path: string) => request(t.http).get(`/scim/v2${path}`).set(auth),
    post: (path: string, body: unknown) =>
      request(t.http).post(`/scim/v2${path}`).set(auth).set('Content-Type', 'application/scim+json').send(JSON.stringify(body)),
    put: (path: string, body: unknown) =>
      request(t.http).put(`/scim/v2${path}`).set(auth).set('Content-Type', 'application/scim+json').send(JSON.stringify(body)),
    patch: (path: string, body: unknown) =>
      request(t.http).patch(`/scim/v2${path}`).set(auth).set('Content-Type', 'application/scim+json').send(JSON.stringify(body)),
    delete: (path: string) => request(t.http).delete(`/scim/v2${path}`).set(auth),
  };
}

export const filterQuery = (filter: string) => `filter=${encodeURIComponent(filter)}`;

export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const TEAM = 'urn:ietf:params:scim:schemas:extension:llmgateway:2.0:Team';
export const USER_SETTINGS = 'urn:ietf:params:scim:schemas:extension:llmgateway:2.0:User';

export const makeGroup = (o: Record<string, unknown> = {}) => {
  seq += 1;
  return { schemas: [GROUP], displayName: `Team ${seq}`, ...o };
};
