import request from 'supertest';
import { ADMIN_KEY, TestApp } from './app';

export const admin = { Authorization: `Bearer ${ADMIN_KEY}` };

export interface IssuedKey {
  id: string;
  key: string;
  userId: string;
  status: string;
}

/** POST /admin/users/{id}/api-keys; the response as it came (status and body). */
export const createKey = (t: TestApp, userId: string, body: object = { name: 'laptop' }) =>
  request(t.http).post(`/admin/users/${userId}/api-keys`).set(admin).send(body);

/** A new key for the user, which must be active. */
export async function issueKey(t: TestApp, userId: string, body: object = { name: 'laptop' }): Promise<IssuedKey> {
  const res = await createKey(t, userId, body);
  if (res.status !== 201) {
    throw new Error(`creating a key answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return res.body as IssuedKey;
}

/** RFC 7662 introspection as a gateway sends it: a form, with the admin key (or `credential`). */
export const introspect = (t: TestApp, token: string, credential = ADMIN_KEY) =>
  request(t.http).post('/introspect').set('Authorization', `Bearer ${credential}`).type('form').send({ token });

/** Whether introspection says the key is live. */
export async function isLive(t: TestApp, token: string): Promise<boolean> {
  const res = await introspect(t, token);
  if (res.status !== 200) {
    throw new Error(`introspection answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return (res.body as { active: boolean }).active;
}

/** Forward auth as nginx's auth_request sends it. */
export const verify = (t: TestApp, key: string) => request(t.http).get('/auth/verify').set('Authorization', `Bearer ${key}`);
