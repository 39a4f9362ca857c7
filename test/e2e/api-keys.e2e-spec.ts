import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { ADMIN_KEY, createTestApp, TestApp } from '../support/app';
import { admin, createKey, introspect, issueKey, verify } from '../support/keys';
import { runCli } from '../support/processes';
import { makeGroup, makeUser, patchOp, scimClient } from '../support/scim';

const SECRET = 'introspection-secret-0123456789abcdefghijklmnop';

describe('user API keys', () => {
  let t: TestApp;
  let scim: ReturnType<typeof scimClient>;

  beforeAll(async () => {
    t = await createTestApp({ INTROSPECTION_SECRET: SECRET, SCIM_ADMIN_GROUP: 'Gateway Admins' });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.reset();
    scim = scimClient(t, await t.token());
  });

  const newUser = async (o: Record<string, unknown> = {}) => {
    const res = await scim.post('/Users', makeUser(o));
    expect(res.status).toBe(201);
    return res.body as { id: string; userName: string };
  };

  describe('admin API', () => {
    it('issues a key once in plaintext, lists metadata only, and revokes it', async () => {
      const user = await newUser();
      const created = await createKey(t, user.id, { name: 'laptop', expiresInDays: 90 });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ userId: user.id, name: 'laptop', status: 'active', lastUsedAt: null });
      expect(created.body.key).toMatch(/^sk_[A-Za-z0-9_-]{43}$/);
      expect(created.body.prefix).toBe(created.body.key.slice(0, 11));
      const days = (Date.parse(created.body.expiresAt) - Date.parse(created.body.createdAt)) / 86_400_000;
      expect(days).toBeCloseTo(90, 1);

      const stored = await t.sql<{ key_hash: Buffer }>('SELECT key_hash FROM api_keys WHERE id = $1', [created.body.id]);
      expect(stored[0]?.key_hash.toString('hex')).toHaveLength(64);
      expect(JSON.stringify(await t.sql('SELECT * FROM api_keys'))).not.toContain(created.body.key.slice(11));

      const list = await request(t.http).get(`/admin/users/${user.id}/api-keys`).set(admin);
      expect(list.status).toBe(200);
      expect(list.body).toEqual([
        {
          id: created.body.id,
          userId: user.id,
          name: 'laptop',
          prefix: created.body.prefix,
          createdAt: created.body.createdAt,
          expiresAt: created.body.expiresAt,
          lastUsedAt: null,
          status: 'active',
          statusChangedAt: null,
          statusChangedBy: null,
        },
      ]);

      expect((await request(t.http).delete(`/admin/api-keys/${created.body.id}`).set(admin)).status).toBe(204);
      expect((await request(t.http).delete(`/admin/api-keys/${created.body.id}`).set(admin)).status).toBe(204);
      const after = await request(t.http).get(`/admin/users/${user.id}/api-keys`).set(admin);
      expect(after.body[0]).toMatchObject({ status: 'revoked', statusChangedBy: 'admin' });
      expect((await introspect(t, created.body.key)).body).toEqual({ active: false });
    });

    it('answers 404 for an unknown user or key, 409 for an inactive user, 400 for a bad body, 401 without the admin key', async () => {
      const unknown = '2819c223-7f76-453a-919d-413861904646';
      expect((await createKey(t, unknown)).status).toBe(404);
      expect((await createKey(t, 'not-a-uuid')).status).toBe(404);
      expect((await request(t.http).get(`/admin/users/${unknown}/api-keys`).set(admin)).status).toBe(404);
      expect((await request(t.http).delete(`/admin/api-keys/${unknown}`).set(admin)).status).toBe(404);
      const inactive = await newUser({ active: false });
      const refused = await createKey(t, inactive.id);
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toMatch(/not active/);
      const user = await newUser();
      expect((await createKey(t, user.id, { name: '' })).status).toBe(400);
      expect((await createKey(t, user.id, { name: 'x', expiresInDays: 0 })).status).toBe(400);
      const noAuth = await request(t.http).post(`/admin/users/${user.id}/api-keys`).send({ name: 'x' });
      expect(noAuth.status).toBe(401);
      expect(noAuth.headers['www-authenticate']).toBe('Bearer realm="admin"');
    });
  });

  describe('introspection (RFC 7662)', () => {
    it('answers a live key with its user, role and teams, as a form or JSON, with the admin key or INTROSPECTION_SECRET', async () => {
      const user = await newUser({ roles: [{ value: 'member' }] });
      const team = (await scim.post('/Groups', makeGroup({ displayName: 'Platform', members: [{ value: user.id }] }))).body;
      const k = await issueKey(t, user.id, { name: 'ci', expiresInDays: 30 });
      const expected = {
        active: true,
        sub: user.id,
        username: user.userName,
        token_type: 'api_key',
        iat: Math.floor(Date.parse((k as unknown as { createdAt: string }).createdAt) / 1000),
        exp: Math.floor(Date.parse((k as unknown as { expiresAt: string }).expiresAt) / 1000),
        jti: k.id,
        role: 'member',
        teams: [{ id: team.id, displayName: 'Platform' }],
      };
      const form = await introspect(t, k.key, SECRET);
      expect(form.status).toBe(200);
      expect(form.headers['content-type']).toMatch(/^application\/json/);
      expect(form.headers['cache-control']).toBe('no-store');
      expect(form.body).toEqual(expected);
      const json = await request(t.http).post('/introspect').set(admin).send({ token: k.key, token_type_hint: 'api_key' });
      expect(json.status).toBe(200);
      expect(json.body).toEqual(expected);
    });

    it('answers {"active": false} for anything not live, and refuses callers without the secret', async () => {
      const user = await newUser();
      const k = await issueKey(t, user.id);
      for (const token of ['sk_unknown', 'scim_whatever', '', 'x'.repeat(300), `${k.key}x`]) {
        const res = await introspect(t, token, SECRET);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ active: false });
      }
      const scimToken = await t.token();
      const wrong = await introspect(t, k.key, scimToken);
      expect(wrong.status).toBe(401);
      expect(wrong.headers['www-authenticate']).toBe('Bearer realm="introspection"');
      expect((await request(t.http).post('/introspect').type('form').send({ token: k.key })).status).toBe(401);
    });

    it('reads forms only on /introspect: 415 for a form elsewhere, for other types, and 400 for a missing or repeated token', async () => {
      const user = await newUser();
      const form = await request(t.http).post(`/admin/users/${user.id}/api-keys`).set(admin).type('form').send({ name: 'laptop' });
      expect(form.status).toBe(415);
      const scimForm = await scim.post('/Users', {}).type('form').send('userName=x');
      expect(scimForm.status).toBe(415);
      const text = await request(t.http).post('/introspect').set(admin).set('Content-Type', 'text/plain').send('token=x');
      expect(text.status).toBe(415);
      expect(text.body.detail).toMatch(/application\/x-www-form-urlencoded/);
      expect((await request(t.http).post('/introspect').set(admin).type('form').send('token_type_hint=api_key')).status).toBe(400);
      const twice = await request(t.http).post('/introspect').set(admin).type('form').send('token=a&token=b');
      expect(twice.status).toBe(400);
      expect(twice.body.detail).toMatch(/token/);
    });
  });

  describe('forward auth', () => {
    it('answers 200 with the user in X-Auth-* headers for a live key, 401 for anything else', async () => {
      const user = await newUser({ userName: 'zoë@example.com', roles: [{ value: 'viewer' }] });
      const a = (await scim.post('/Groups', makeGroup({ displayName: 'Gateway Admins', members: [{ value: user.id }] }))).body;
      const b = (await scim.post('/Groups', makeGroup({ displayName: 'Analytics', members: [{ value: user.id }] }))).body;
      const k = await issueKey(t, user.id);
      const ok = await verify(t, k.key);
      expect(ok.status).toBe(200);
      expect(ok.text).toBe('');
      expect(ok.headers).toMatchObject({
        'x-auth-user-id': user.id,
        'x-auth-user-name': encodeURIComponent('zoë@example.com'),
        'x-auth-role': 'admin',
        'x-auth-teams': `${b.id},${a.id}`,
        'x-auth-key-id': k.id,
        'cache-control': 'no-store',
      });
      for (const auth of [undefined, 'Bearer sk_nope', `Basic ${k.key}`, 'Bearer']) {
        const req = request(t.http).get('/auth/verify');
        const res = await (auth === undefined ? req : req.set('Authorization', auth));
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toBe('Bearer realm="api-key"');
        expect(res.headers['x-auth-user-id']).toBeUndefined();
      }
    });

    it('answers any method and any path below /auth/verify (Envoy ext_authz path_prefix), leaving a body of any type unread', async () => {
      const user = await newUser();
      const k = await issueKey(t, user.id);
      const post = await request(t.http)
        .post('/auth/verify/v1/chat/completions?stream=true')
        .set('Authorization', `Bearer ${k.key}`)
        .set('Content-Type', 'multipart/form-data; boundary=x')
        .send('--x\r\nContent-Disposition: form-data; name="file"\r\n\r\n' + 'a'.repeat(100_000) + '\r\n--x--');
      expect(post.status).toBe(200);
      expect(post.headers['x-auth-user-id']).toBe(user.id);
      expect((await request(t.http).delete('/auth/verify/v1/files/1').set('Authorization', `Bearer ${k.key}`)).status).toBe(200);
      expect((await request(t.http).put('/auth/verify').set('Authorization', 'Bearer sk_nope').send({ a: 1 })).status).toBe(401);
    });

    it('gives the role from SCIM_ADMIN_GROUP, then the highest known roles value, then DEFAULT_USER_ROLE, and drops admin at once on leaving the team', async () => {
      const user = await newUser({ roles: [{ value: 'Global Reader', primary: true }] });
      const k = await issueKey(t, user.id);
      const role = async () => (await introspect(t, k.key)).body.role as string;
      expect(await role()).toBe('viewer');
      await scim.patch(`/Users/${user.id}`, patchOp({ op: 'add', path: 'roles', value: [{ value: 'Member' }] }));
      expect(await role()).toBe('member');
      const team = (await scim.post('/Groups', makeGroup({ displayName: 'gateway admins', members: [{ value: user.id }] }))).body;
      expect(await role()).toBe('admin');
      expect((await scim.patch(`/Groups/${team.id}`, patchOp({ op: 'remove', path: `members[value eq "${user.id}"]` }))).status).toBe(204);
      expect(await role()).toBe('member');
      await scim.patch(`/Groups/${team.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: user.id }] }));
      expect(await role()).toBe('admin');
      await scim.patch(`/Groups/${team.id}`, patchOp({ op: 'replace', path: 'displayName', value: 'Former admins' }));
      expect(await role()).toBe('member');
    });

    it('records the last use at most once a minute', async () => {
      const user = await newUser();
      const k = await issueKey(t, user.id);
      expect((await verify(t, k.key)).status).toBe(200);
      const deadline = Date.now() + 2000;
      let used: unknown = null;
      while (used === null && Date.now() < deadline) {
        await sleep(20);
        used = (await t.sql<{ last_used_at: Date | null }>('SELECT last_used_at FROM api_keys WHERE id = $1', [k.id]))[0]?.last_used_at;
      }
      expect(used).toBeInstanceOf(Date);
    });
  });

  describe('CLI', () => {
    it('creates (by userName or id), lists and revokes keys, refuses an inactive user, and records each action in the audit log', async () => {
      const env = { DATABASE_URL: process.env.DATABASE_URL as string, ADMIN_API_KEY: ADMIN_KEY, LOG_LEVEL: 'silent' };
      const user = await newUser({ userName: 'cli.user@example.com' });
      const created = runCli(env, ['key', 'create', '--user', 'CLI.User@example.com', '--name', 'from the cli', '--expires-in-days', '7']);
      expect(created.status).toBe(0);
      expect(created.lastLine).toMatch(/^sk_[A-Za-z0-9_-]{43}$/);
      expect((await introspect(t, created.lastLine)).body).toMatchObject({ active: true, sub: user.id });

      const list = runCli(env, ['key', 'list', '--user', user.id]);
      expect(list.status).toBe(0);
      expect(list.stdout).toMatch(/\tfrom the cli\tsk_[\w-]{8}\t.*\tactive\n/);
      expect(list.stdout).not.toContain(created.lastLine);
      const keyId = list.stdout.split('\n')[1]?.split('\t')[0] as string;
      expect(runCli(env, ['key', 'revoke', keyId]).status).toBe(0);
      expect((await introspect(t, created.lastLine)).body).toEqual({ active: false });
      expect(runCli(env, ['key', 'list', '--user', user.id]).stdout).toMatch(/\trevoked\n/);

      await scim.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'active', value: false }));
      const refused = runCli(env, ['key', 'create', '--user', user.id, '--name', 'x']);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/not active/);
      expect(runCli(env, ['key', 'create', '--user', 'nobody@example.com', '--name', 'x']).status).toBe(1);
      expect(runCli(env, ['key', 'create', '--name', 'x']).status).toBe(2);

      const records = (await request(t.http).get('/admin/audit?actor=cli').set(admin)).body.records as { path: string; status: number }[];
      expect(records.map((r) => [r.path, r.status])).toEqual([
        ['key create', 409],
        ['key revoke', 200],
        ['key create', 200],
      ]);
    });
  });

  describe('GET /admin/stats', () => {
    it('counts users, active users (seats), teams and live keys', async () => {
      const a = await newUser();
      const b = await newUser();
      await newUser({ active: false });
      await scim.post('/Groups', makeGroup());
      const ka = await issueKey(t, a.id);
      await issueKey(t, a.id);
      await issueKey(t, b.id);
      await request(t.http).delete(`/admin/api-keys/${ka.id}`).set(admin);
      await scim.patch(`/Users/${b.id}`, patchOp({ op: 'replace', path: 'active', value: false }));
      const res = await request(t.http).get('/admin/stats').set(admin);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ users: 3, activeUsers: 1, teams: 1, liveKeys: 1 });
    });
  });
});
