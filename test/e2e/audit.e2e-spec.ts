import { Writable } from 'node:stream';
import request from 'supertest';
import { AuditService } from '../../src/audit/audit.service';
import { ADMIN_KEY, createTestApp, TestApp } from '../support/app';
import { admin, introspect, issueKey, verify } from '../support/keys';
import { makeGroup, makeUser, patchOp, scimClient } from '../support/scim';

interface AuditRecord {
  id: string;
  time: string;
  actor: { type: string; id?: string; name?: string };
  userAgent: string | null;
  requestId: string | null;
  method: string;
  path: string;
  resourceType: string | null;
  resourceId: string | null;
  status: number;
  scimType: string | null;
  summary: Record<string, unknown> | null;
}

describe('audit log', () => {
  let t: TestApp;
  let scim: ReturnType<typeof scimClient>;
  let token: { id: string; token: string };
  const logs: string[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    t = await createTestApp({ LOG_LEVEL: 'warn', AUDIT_RETENTION_DAYS: '30' }, sink);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.reset();
    token = (await request(t.http).post('/admin/scim-tokens').set(admin).send({ name: 'Okta prod' })).body as typeof token;
    scim = scimClient(t, token.token);
  });

  const audit = async (query = '') => {
    const res = await request(t.http).get(`/admin/audit${query}`).set(admin);
    expect(res.status).toBe(200);
    return res.body as { records: AuditRecord[]; nextCursor: string | null };
  };

  it('records every SCIM write with its actor, request, outcome and a summary of names and counts', async () => {
    const created = await scim.post('/Users', makeUser({ password: 'Sup3r-secret!' })).set('User-Agent', 'Okta SCIM Client 1.0.0');
    const id = created.body.id as string;
    await scim.patch(
      `/Users/${id}`,
      patchOp({ op: 'replace', path: 'displayName', value: 'Renamed' }, { op: 'add', path: 'title', value: 'Lead' }),
    );
    const k = await issueKey(t, id);
    await scim.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'active', value: false })).set('X-Request-Id', 'deprovision-1');
    await scim.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'active', value: true }));
    const team = (await scim.post('/Groups', makeGroup({ members: [{ value: id }] }))).body as { id: string };
    await scim.patch(`/Groups/${team.id}`, patchOp({ op: 'remove', path: `members[value eq "${id}"]` }));
    await scim.patch(`/Groups/${team.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: id }] }));
    await scim.delete(`/Users/${id}`);

    const { records } = await audit(`?resourceId=${id}`);
    expect(records.map((r) => [r.method, r.status, r.summary])).toEqual([
      ['DELETE', 204, { op: 'delete', keysDeleted: 1, teamsLeft: 1 }],
      ['PATCH', 200, { op: 'patch', attributes: ['active'], keysRestored: 1 }],
      ['PATCH', 200, { op: 'patch', attributes: ['active'], keysSuspended: 1 }],
      ['PATCH', 200, { op: 'patch', attributes: ['displayName', 'title'] }],
      ['POST', 201, { op: 'create', attributes: expect.arrayContaining(['userName', 'emails', 'active', 'password']) }],
    ]);
    const deactivation = records[2] as AuditRecord;
    expect(deactivation).toMatchObject({
      actor: { type: 'scim-token', id: token.id, name: 'Okta prod' },
      requestId: 'deprovision-1',
      path: `/scim/v2/Users/${id}`,
      resourceType: 'User',
      resourceId: id,
      scimType: null,
    });
    expect(records[4]?.userAgent).toBe('Okta SCIM Client 1.0.0');
    const teamRecords = (await audit(`?resourceId=${team.id}`)).records;
    expect(teamRecords.map((r) => r.summary)).toEqual([
      { op: 'patch', attributes: [], membersAdded: 1, membersRemoved: 0 },
      { op: 'patch', attributes: [], membersAdded: 0, membersRemoved: 1 },
      { op: 'create', attributes: ['displayName', 'schemas'], membersAdded: 1 },
    ]);
    // Never a secret, a password, a value or a body.
    const all = JSON.stringify((await audit('?count=1000')).records);
    for (const secret of ['Sup3r-secret!', k.key, token.token, ADMIN_KEY, created.body.userName as string, 'Renamed', 'Lead']) {
      expect(all).not.toContain(secret);
    }
  });

  it('records failed writes with status and scimType, token and key admin actions, and never reads or unauthenticated calls', async () => {
    const first = (await scim.post('/Users', makeUser({ userName: 'taken@example.com' }))).body as { id: string };
    expect((await scim.post('/Users', makeUser({ userName: 'TAKEN@example.com' }))).status).toBe(409);
    expect((await scim.patch(`/Users/${first.id}`, patchOp({ op: 'replace', path: 'active', value: 'maybe' }))).status).toBe(400);
    const missing = '2819c223-7f76-453a-919d-413861904646';
    expect((await scim.delete(`/Users/${missing}`)).status).toBe(404);
    const k = await issueKey(t, first.id, { name: 'laptop' });
    await request(t.http).delete(`/admin/api-keys/${k.id}`).set(admin);
    await scim.patch(`/Users/${first.id}`, patchOp({ op: 'replace', path: 'active', value: false }));
    expect((await request(t.http).post(`/admin/users/${first.id}/api-keys`).set(admin).send({ name: 'x' })).status).toBe(409);
    await request(t.http).delete(`/admin/scim-tokens/${token.id}`).set(admin);
    // Not audited: reads, searches, key checks, and calls without a valid credential.
    await scim.get(`/Users/${first.id}`);
    await request(t.http).post('/scim/v2/Users/.search').set('Authorization', `Bearer ${token.token}`).send({});
    await introspect(t, k.key);
    await verify(t, k.key);
    await request(t.http).post('/scim/v2/Users').send(makeUser());

    const { records } = await audit();
    expect(records.map((r) => [r.method, r.path.replace(/[0-9a-f-]{36}/g, ':id'), r.status, r.scimType, r.resourceType])).toEqual([
      ['DELETE', '/admin/scim-tokens/:id', 204, null, 'ScimToken'],
      ['POST', '/admin/users/:id/api-keys', 409, null, 'ApiKey'],
      ['PATCH', '/scim/v2/Users/:id', 200, null, 'User'],
      ['DELETE', '/admin/api-keys/:id', 204, null, 'ApiKey'],
      ['POST', '/admin/users/:id/api-keys', 201, null, 'ApiKey'],
      ['DELETE', '/scim/v2/Users/:id', 404, null, 'User'],
      ['PATCH', '/scim/v2/Users/:id', 400, 'invalidValue', 'User'],
      ['POST', '/scim/v2/Users', 409, 'uniqueness', 'User'],
      ['POST', '/scim/v2/Users', 201, null, 'User'],
      ['POST', '/admin/scim-tokens', 201, null, 'ScimToken'],
    ]);
    expect(records[1]).toMatchObject({ actor: { type: 'admin' }, summary: { userId: first.id } });
    expect(records[3]).toMatchObject({ resourceId: k.id, summary: { op: 'revoke', userId: first.id, changed: true } });
    expect(records[4]).toMatchObject({ resourceId: k.id, summary: { op: 'create', userId: first.id, name: 'laptop', expiresAt: null } });
    expect(records[5]).toMatchObject({ resourceId: missing });
  });

  it('filters by actor, outcome, resource and time, and pages newest first with an opaque cursor', async () => {
    for (let i = 0; i < 5; i++) {
      await scim.post('/Users', makeUser());
    }
    await scim.post('/Users', makeUser({ active: 'maybe' }));
    const all = (await audit()).records;
    expect(all).toHaveLength(7);
    expect((await audit('?actor=Okta%20prod')).records).toHaveLength(6);
    expect((await audit(`?actor=${token.id}`)).records).toHaveLength(6);
    expect((await audit('?actor=admin')).records).toHaveLength(1);
    expect((await audit('?outcome=failure')).records.map((r) => r.status)).toEqual([400]);
    expect((await audit('?outcome=201')).records).toHaveLength(6);
    expect((await audit('?outcome=success')).records).toHaveLength(6);
    const middle = all[3] as AuditRecord;
    expect((await audit(`?since=${encodeURIComponent(middle.time)}`)).records.every((r) => r.time >= middle.time)).toBe(true);
    expect((await audit(`?until=${encodeURIComponent(middle.time)}`)).records.every((r) => r.time < middle.time)).toBe(true);

    const paged: AuditRecord[] = [];
    let cursor: string | null = null;
    do {
      const page: { records: AuditRecord[]; nextCursor: string | null } = await audit(`?count=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.records.length).toBeLessThanOrEqual(2);
      paged.push(...page.records);
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged.map((r) => r.id)).toEqual(all.map((r) => r.id));
    for (let i = 1; i < all.length; i++) {
      const [newer, older] = [all[i - 1] as AuditRecord, all[i] as AuditRecord];
      expect(newer.time > older.time || (newer.time === older.time && Number(newer.id) > Number(older.id))).toBe(true);
    }

    for (const bad of ['?cursor=nope', '?outcome=maybe', '?since=yesterday', '?count=0', '?count=5000']) {
      const res = await request(t.http).get(`/admin/audit${bad}`).set(admin);
      expect(res.status).toBe(400);
      expect(res.body.scimType).toBe('invalidValue');
    }
    expect((await request(t.http).get('/admin/audit')).status).toBe(401);
  });

  it('deletes records older than AUDIT_RETENTION_DAYS', async () => {
    await scim.post('/Users', makeUser());
    await t.app.get(AuditService).flush();
    await t.sql(
      `INSERT INTO audit_log (at, actor_type, method, path, status) SELECT now() - g * interval '1 day' + interval '1 hour', 'admin', 'POST', '/admin/scim-tokens', 201 FROM generate_series(29, 40) g`,
    );
    expect(await t.app.get(AuditService).purge()).toBe(10); // days 31..40
    expect((await audit()).records).toHaveLength(4); // 29 and 30 days old less an hour, and this test's two
  });

  it('never fails a request when the audit log cannot be written, and writes the records once it can', async () => {
    await t.sql('ALTER TABLE audit_log RENAME TO audit_log_away');
    try {
      const res = await scim.post('/Users', makeUser());
      expect(res.status).toBe(201);
      await t.app.get(AuditService).flush();
      expect((await scim.patch(`/Users/${res.body.id}`, patchOp({ op: 'replace', path: 'title', value: 'T' }))).status).toBe(200);
      await t.app.get(AuditService).flush();
    } finally {
      await t.sql('ALTER TABLE audit_log_away RENAME TO audit_log');
    }
    expect(logs.some((l) => l.includes('audit records could not be written'))).toBe(true);
    expect(logs.join('\n')).not.toContain(token.token);
    const { records } = await audit();
    expect(records.map((r) => r.method)).toEqual(['PATCH', 'POST', 'POST']);
  });
});
