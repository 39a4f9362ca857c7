import request from 'supertest';
import { ADMIN_KEY, createTestApp, TestApp } from '../support/app';

describe('SCIM tokens and authentication', () => {
  let t: TestApp;
  const spc = '/scim/v2/ServiceProviderConfig';

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  beforeEach(() => t.reset());

  const admin = () => ({ Authorization: `Bearer ${ADMIN_KEY}` });
  const issue = async (body: object = { name: 'Entra ID' }) => {
    const res = await request(t.http).post('/admin/scim-tokens').set(admin()).send(body);
    expect(res.status).toBe(201);
    return res.body as { id: string; token: string; prefix: string };
  };

  it('issues a token once, lists it without the secret, and the token authenticates SCIM requests', async () => {
    const created = await issue({ name: 'Entra ID', expiresInDays: 30 });
    expect(created.token).toMatch(/^scim_[A-Za-z0-9_-]{43}$/);
    expect(created.token.startsWith(created.prefix)).toBe(true);

    const ok = await request(t.http).get(spc).auth(created.token, { type: 'bearer' });
    expect(ok.status).toBe(200);

    const list = await request(t.http).get('/admin/scim-tokens').set(admin());
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(1);
    expect(list.body[0]).toMatchObject({ id: created.id, name: 'Entra ID', prefix: created.prefix, revokedAt: null });
    expect(list.body[0].expiresAt).not.toBeNull();
    expect(list.body[0].lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list.body)).not.toContain(created.token);
    expect(list.body[0]).not.toHaveProperty('token');
    expect(list.body[0]).not.toHaveProperty('tokenHash');
  });

  it('stores only a hash of the token', async () => {
    const created = await issue();
    const [row] = await t.sql<{ token_hash: Buffer; prefix: string }>('SELECT token_hash, prefix FROM scim_tokens WHERE id = $1', [
      created.id,
    ]);
    expect(row?.token_hash).toHaveLength(32);
    expect(JSON.stringify(row)).not.toContain(created.token.slice(13));
  });

  it('revocation takes effect on the next request', async () => {
    const created = await issue();
    expect((await request(t.http).get(spc).auth(created.token, { type: 'bearer' })).status).toBe(200);
    expect((await request(t.http).delete(`/admin/scim-tokens/${created.id}`).set(admin())).status).toBe(204);
    const res = await request(t.http).get(spc).auth(created.token, { type: 'bearer' });
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/revoked/);
    const list = await request(t.http).get('/admin/scim-tokens').set(admin());
    expect(list.body[0].revokedAt).not.toBeNull();
  });

  it('takes the token from the Authorization header only, never from the query string or the body', async () => {
    const { token } = await issue();
    const query = await request(t.http).get(`/scim/v2/Users?access_token=${token}`);
    expect(query.status).toBe(401);
    const body = await request(t.http)
      .post('/scim/v2/Users/.search')
      .set('Content-Type', 'application/scim+json')
      .send({ schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], access_token: token });
    expect(body.status).toBe(401);
    expect(body.headers['www-authenticate']).toBe('Bearer realm="scim"');
    expect((await request(t.http).get('/scim/v2/Users').auth(token, { type: 'bearer' })).status).toBe(200);
  });

  it('answers 404 for revoking an unknown token', async () => {
    const res = await request(t.http).delete('/admin/scim-tokens/00000000-0000-4000-8000-000000000000').set(admin());
    expect(res.status).toBe(404);
    expect((await request(t.http).delete('/admin/scim-tokens/not-a-uuid').set(admin())).status).toBe(404);
  });

  it('rejects an invalid token request with a readable error', async () => {
    const res = await request(t.http).post('/admin/scim-tokens').set(admin()).send({ name: '', expiresInDays: 0 });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
    expect(res.body.detail).toMatch(/name|expiresInDays/);
  });

  describe.each([
    ['no Authorization header', undefined, /Missing or malformed/],
    ['a Basic scheme', 'Basic dXNlcjpwYXNz', /Missing or malformed/],
    ['an empty bearer', 'Bearer ', /Missing or malformed/],
    ['an unknown token', 'Bearer scim_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', /not a valid SCIM token/],
    ['a token of another shape', 'Bearer abc.def.ghi', /not a valid SCIM token/],
    ['the admin key', `Bearer ${ADMIN_KEY}`, /not a valid SCIM token/],
  ])('with %s', (_case, header, detail) => {
    it('answers 401 with WWW-Authenticate: Bearer and a SCIM error', async () => {
      const req = request(t.http).get(spc);
      const res = await (header === undefined ? req : req.set('Authorization', header));
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.headers['content-type']).toBe('application/scim+json; charset=utf-8');
      expect(res.body).toEqual({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '401',
        detail: expect.stringMatching(detail),
      });
    });
  });

  it('answers 401 for an expired token', async () => {
    const created = await issue({ name: 'short', expiresInDays: 1 });
    await t.sql(`UPDATE scim_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [created.id]);
    const res = await request(t.http).get(spc).auth(created.token, { type: 'bearer' });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.body.detail).toMatch(/expired/);
  });

  it('protects the admin API with the admin key, not SCIM tokens', async () => {
    const scimToken = (await issue()).token;
    for (const headers of [
      {},
      { Authorization: `Bearer ${scimToken}` },
      { Authorization: 'Bearer wrong' },
      { Authorization: `Basic ${ADMIN_KEY}` },
    ]) {
      const res = await request(t.http).get('/admin/scim-tokens').set(headers);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.body.status).toBe('401');
    }
  });
});
