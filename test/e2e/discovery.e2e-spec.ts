import request from 'supertest';
import rfcAttributes from '../fixtures/rfc7643-8.7-attributes.json';
import { createTestApp, TestApp } from '../support/app';
import { ENTERPRISE, ERROR, filterQuery, GROUP, LIST, SCIM_JSON, scimClient, TEAM, USER, USER_SETTINGS } from '../support/scim';

const SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';
const RESOURCE_TYPE = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const BASE = 'https://scim.example.com/scim/v2';

interface Attribute {
  name: string;
  type: string;
  canonicalValues?: string[];
  subAttributes?: Attribute[];
  [characteristic: string]: unknown;
}
interface Schema {
  id: string;
  attributes: Attribute[];
}

/** The attribute at `path` (`emails.type`) of a schema as served. */
const attributeAt = (schema: Schema, path: string): Attribute | undefined => {
  const [name, sub] = path.split('.');
  const attribute = schema.attributes.find((a) => a.name === name);
  return sub === undefined ? attribute : attribute?.subAttributes?.find((a) => a.name === sub);
};

describe('SCIM discovery: /Schemas, /ResourceTypes, /ServiceProviderConfig and /Me', () => {
  let t: TestApp;
  let scim: ReturnType<typeof scimClient>;

  beforeAll(async () => {
    t = await createTestApp({ USER_ROLES: 'admin,editor', DEFAULT_USER_ROLE: 'editor', PUBLIC_BASE_URL: 'https://scim.example.com' });
    scim = scimClient(t, await t.token());
  });
  afterAll(() => t.close());

  describe('GET /Schemas', () => {
    it('lists every schema in a ListResponse, each with meta', async () => {
      const res = await scim.get('/Schemas');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(SCIM_JSON);
      expect(res.body).toMatchObject({ schemas: [LIST], totalResults: 5, itemsPerPage: 5, startIndex: 1 });
      const ids = (res.body.Resources as Schema[]).map((s) => s.id);
      expect(ids).toEqual([USER, ENTERPRISE, USER_SETTINGS, GROUP, TEAM]);
      for (const id of ids) {
        expect((res.body.Resources as Schema[]).find((s) => s.id === id)).toMatchObject({
          schemas: [SCHEMA],
          meta: { resourceType: 'Schema', location: `${BASE}/Schemas/${id}` },
        });
      }
    });

    it('ignores paging parameters (RFC 7644 §4)', async () => {
      const res = await scim.get('/Schemas?startIndex=3&count=1');
      expect(res.body).toMatchObject({ totalResults: 5, itemsPerPage: 5, startIndex: 1 });
    });

    it.each(rfcAttributes.map((a) => [`${a.schema} ${a.path}`, a] as const))(
      'serves %s with the characteristics of RFC 7643 §8.7',
      async (_name, { schema, path, characteristics }) => {
        const res = await scim.get(`/Schemas/${schema}`);
        expect(res.status).toBe(200);
        expect(attributeAt(res.body as Schema, path)).toMatchObject(characteristics);
      },
    );

    it('shows the roles USER_ROLES allows as the canonical values of roles.value', async () => {
      const res = await scim.get(`/Schemas/${USER}`);
      expect(attributeAt(res.body as Schema, 'roles.value')?.canonicalValues).toEqual(['admin', 'editor']);
      const list = await scim.get('/Schemas');
      const user = (list.body.Resources as Schema[]).find((s) => s.id === USER);
      expect(user && attributeAt(user, 'roles.value')?.canonicalValues).toEqual(['admin', 'editor']);
    });

    it('shows complex attributes with subAttributes (empty when free-form) and never internal flags', async () => {
      const team = await scim.get(`/Schemas/${TEAM}`);
      expect(attributeAt(team.body as Schema, 'metadata')).toMatchObject({ type: 'complex', subAttributes: [] });
      const list = await scim.get('/Schemas');
      const text = JSON.stringify(list.body);
      expect(text).not.toContain('freeForm');
      expect(text).not.toContain('closedValues');
    });

    it('finds a schema by its URN in any case, and answers 404 for an unknown one', async () => {
      const found = await scim.get(`/Schemas/${ENTERPRISE.toLowerCase()}`);
      expect(found.status).toBe(200);
      expect(found.body.id).toBe(ENTERPRISE);
      const missing = await scim.get('/Schemas/urn:example:nothing');
      expect(missing.status).toBe(404);
      expect(missing.headers['content-type']).toBe(SCIM_JSON);
      expect(missing.body).toEqual({ schemas: [ERROR], status: '404', detail: expect.stringContaining("no schema 'urn:example:nothing'") });
    });
  });

  describe('GET /ResourceTypes', () => {
    it('lists User and Group with their schema extensions and whether each is required', async () => {
      const res = await scim.get('/ResourceTypes');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(SCIM_JSON);
      expect(res.body).toEqual({
        schemas: [LIST],
        totalResults: 2,
        itemsPerPage: 2,
        startIndex: 1,
        Resources: [
          {
            schemas: [RESOURCE_TYPE],
            id: 'User',
            name: 'User',
            endpoint: '/Users',
            description: 'User Account',
            schema: USER,
            schemaExtensions: [
              { schema: ENTERPRISE, required: false },
              { schema: USER_SETTINGS, required: false },
            ],
            meta: { resourceType: 'ResourceType', location: `${BASE}/ResourceTypes/User` },
          },
          {
            schemas: [RESOURCE_TYPE],
            id: 'Group',
            name: 'Group',
            endpoint: '/Groups',
            description: 'Group',
            schema: GROUP,
            schemaExtensions: [{ schema: TEAM, required: false }],
            meta: { resourceType: 'ResourceType', location: `${BASE}/ResourceTypes/Group` },
          },
        ],
      });
    });

    it('serves one resource type by name, and 404 for an unknown one', async () => {
      const group = await scim.get('/ResourceTypes/Group');
      expect(group.status).toBe(200);
      expect(group.body).toMatchObject({ name: 'Group', schema: GROUP });
      const missing = await scim.get('/ResourceTypes/Robot');
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ schemas: [ERROR], status: '404', detail: expect.stringContaining("no resource type 'Robot'") });
    });

    it('points each resource type at schemas that /Schemas serves', async () => {
      const types = await scim.get('/ResourceTypes');
      for (const rt of types.body.Resources as { schema: string; schemaExtensions: { schema: string }[] }[]) {
        for (const urn of [rt.schema, ...rt.schemaExtensions.map((e) => e.schema)]) {
          expect((await scim.get(`/Schemas/${urn}`)).status).toBe(200);
        }
      }
    });
  });

  it.each(['/Schemas', '/ResourceTypes', '/ServiceProviderConfig'])('answers a filter on %s with 403 (RFC 7644 §4)', async (path) => {
    const res = await scim.get(`${path}?${filterQuery('id eq "User"')}`);
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toBe(SCIM_JSON);
    expect(res.body).toEqual({ schemas: [ERROR], status: '403', detail: expect.stringContaining('filter') });
  });

  it('keeps ServiceProviderConfig truthful, with documentationUri, authenticationSchemes and meta', async () => {
    const res = await scim.get('/ServiceProviderConfig');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      documentationUri: 'https://scim.example.com/docs',
      bulk: { supported: true, maxOperations: 1000, maxPayloadSize: 4 * 1024 * 1024 },
      sort: { supported: true },
      authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken', primary: true })],
      meta: { resourceType: 'ServiceProviderConfig', location: `${BASE}/ServiceProviderConfig` },
    });
  });

  it.each(['/ServiceProviderConfig', '/Schemas', `/Schemas/${USER}`, '/ResourceTypes', '/ResourceTypes/User', '/Me'])(
    'refuses %s without a SCIM token (401)',
    async (path) => {
      const res = await request(t.http).get(`/scim/v2${path}`);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ schemas: [ERROR], status: '401' });
    },
  );

  describe('/Me', () => {
    it.each<['get' | 'post' | 'put' | 'patch' | 'delete', string]>([
      ['get', '/Me'],
      ['post', '/Me'],
      ['put', '/Me'],
      ['patch', '/Me'],
      ['delete', '/Me'],
      ['get', '/Me/groups'],
      ['patch', '/Me/a/b'],
    ])('answers %s %s with 501 and says why', async (method, path) => {
      const res = method === 'get' || method === 'delete' ? await scim[method](path) : await scim[method](path, { schemas: [USER] });
      expect(res.status).toBe(501);
      expect(res.headers['content-type']).toBe(SCIM_JSON);
      expect(res.body).toEqual({ schemas: [ERROR], status: '501', detail: expect.stringContaining('SCIM tokens, not users') });
    });
  });
});
