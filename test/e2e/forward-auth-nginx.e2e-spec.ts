import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { createTestApp, TestApp } from '../support/app';
import { issueKey } from '../support/keys';
import { OwnNginx, startNginx } from '../support/nginx';
import { freePort } from '../support/ports';
import { makeGroup, makeUser, patchOp, scimClient } from '../support/scim';

/**
 * Forward auth with a real nginx (Debian's) in front of a stub upstream: the README's configuration, with the app as
 * the auth_request target. The upstream sees only requests nginx let through, with the user in X-Auth-* headers.
 */
describe('forward auth behind nginx auth_request', () => {
  let t: TestApp;
  let nginx: OwnNginx;
  let upstream: Server;
  const seen: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    t = await createTestApp({ SCIM_ADMIN_GROUP: 'Gateway Admins' });
    const appPort = await freePort();
    await new Promise<void>((resolve) => (t.http as Server).listen(appPort, '127.0.0.1', resolve));
    upstream = createServer((req, res) => {
      seen.push(req.headers);
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ upstream: 'llm-gateway', path: req.url }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const upstreamPort = (upstream.address() as AddressInfo).port;
    // The README example, with the two addresses filled in.
    nginx = await startNginx(
      `
    location = /_scim_verify {
      internal;
      proxy_pass http://scim_auth/auth/verify;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
    }
    location / {
      auth_request /_scim_verify;
      auth_request_set $auth_user_id $upstream_http_x_auth_user_id;
      auth_request_set $auth_user_name $upstream_http_x_auth_user_name;
      auth_request_set $auth_role $upstream_http_x_auth_role;
      auth_request_set $auth_teams $upstream_http_x_auth_teams;
      proxy_set_header X-Auth-User-Id $auth_user_id;
      proxy_set_header X-Auth-User-Name $auth_user_name;
      proxy_set_header X-Auth-Role $auth_role;
      proxy_set_header X-Auth-Teams $auth_teams;
      proxy_set_header Authorization "";
      proxy_pass http://127.0.0.1:${upstreamPort};
    }`,
      `upstream scim_auth { server 127.0.0.1:${appPort}; keepalive 8; }`,
    );
  });
  afterAll(async () => {
    await nginx?.stop();
    await new Promise((resolve) => upstream?.close(resolve));
    await t?.close();
  });

  const through = (key?: string, headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${nginx.port}/v1/chat/completions`, {
      headers: { ...(key === undefined ? {} : { Authorization: `Bearer ${key}` }), ...headers },
    });

  it('lets a live key through with the user in X-Auth-* headers, and refuses a deactivated user’s key on the next request', async () => {
    await t.reset();
    const scim = scimClient(t, await t.token());
    const user = (await scim.post('/Users', makeUser({ roles: [{ value: 'member' }] }))).body as { id: string; userName: string };
    const team = (await scim.post('/Groups', makeGroup({ displayName: 'Research', members: [{ value: user.id }] }))).body as { id: string };
    const k = await issueKey(t, user.id);

    const none = await through();
    expect(none.status).toBe(401);
    expect((await through('sk_not-a-key')).status).toBe(401);
    expect(seen).toHaveLength(0);

    // A client cannot pass itself off as someone else: nginx sets the X-Auth-* headers from the answer.
    const ok = await through(k.key, { 'X-Auth-User-Id': 'someone-else', 'X-Auth-Role': 'admin' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ upstream: 'llm-gateway', path: '/v1/chat/completions' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      'x-auth-user-id': user.id,
      'x-auth-user-name': user.userName,
      'x-auth-role': 'member',
      'x-auth-teams': team.id,
    });
    expect(seen[0]?.authorization).toBeUndefined();

    expect((await scim.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'active', value: false }))).status).toBe(200);
    expect((await through(k.key)).status).toBe(401);
    expect(seen).toHaveLength(1);

    await scim.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'active', value: true }));
    expect((await through(k.key)).status).toBe(200);
    expect(seen).toHaveLength(2);
  });
});
