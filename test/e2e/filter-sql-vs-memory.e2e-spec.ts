import fc from 'fast-check';
import { Client } from 'pg';
import { filterToSql, userFilterMapping } from '../../src/database/filter-to-sql';
import { bindFilter, BoundFilter, matchesFilter, parseFilter, ScimError, ScimResource, URN, validateResource } from '../../src/scim';


/**
 * Property: for random filters over random users, PostgreSQL (filter-to-sql) and the in-memory evaluator select
 * exactly the same users. Runs in a scratch schema holding the users table of the migration.
 */
const ent = URN.EnterpriseUser;
const DDL = `
  CREATE TABLE users (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), user_name text NOT NULL, external_id text, display_name text,
    active boolean NOT NULL DEFAULT true, primary_email text, emails text[] NOT NULL DEFAULT '{}', role text NOT NULL,
    data jsonb NOT NULL, password_hash text, created timestamptz NOT NULL DEFAULT now(), last_modified timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1);
  CREATE UNIQUE INDEX ON users (lower(user_name)); CREATE INDEX ON users (external_id); CREATE INDEX ON users (lower(display_name));
  CREATE INDEX ON users USING gin (emails); CREATE INDEX ON users (created); CREATE INDEX ON users (last_modified);`;

const words = ['alice', 'Alice', 'bob', 'BOB', 'a%b', 'x_y', 'back\\slash', "o'malley", 'zed', ''];
const emails = ['a@x.org', 'A@X.org', 'b@y.com', 'c%d@z.net', 'b_@y.com'];
const types = ['work', 'home', 'Work', 'other'];
const instants = ['2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.500Z', '2021-06-15T12:30:00.000Z', '2019-12-31T23:59:59.999Z'];
const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const userArb = fc.record({
  displayName: optional(fc.constantFrom(...words)),
  active: fc.constantFrom(true, 'False', 'true', false),
  familyName: optional(fc.constantFrom(...words)),
  externalId: optional(fc.constantFrom(...words)),
  department: optional(fc.constantFrom(...words)),
  title: optional(fc.constantFrom(...words)),
  emails: fc.array(
    fc.record({ value: optional(fc.constantFrom(...emails)), type: optional(fc.constantFrom(...types)), primary: optional(fc.boolean()) }),
    { maxLength: 3 },
  ).map((es) => es.map((e, i) => (i > 0 && e.primary ? { ...e, primary: false } : e))),
  created: fc.constantFrom(...instants),
});

const q = (v: unknown) => JSON.stringify(v);
const stringAttrs = ['userName', 'displayName', 'name.familyName', 'externalId', `${ent}:department`, 'emails.value', 'emails.type', 'emails', 'title'];
const allOps = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];
const stringLiteral = fc.oneof(fc.constantFrom(...words, ...emails, ...types), fc.string({ maxLength: 3 }));

const inner = fc.letrec<{ f: string }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(fc.constantFrom('type', 'value'), fc.constantFrom(...allOps), stringLiteral).map(([a, o, v]) => `${a} ${o} ${q(v)}`),
    fc.tuple(fc.constantFrom('eq', 'ne'), fc.constantFrom('true', '"False"', 'false')).map(([o, v]) => `primary ${o} ${v}`),
    fc.constantFrom('type pr', 'value pr', 'primary pr'),
    fc.tuple(tie('f'), fc.constantFrom('and', 'or'), tie('f')).map(([l, o, r]) => `(${l} ${o} ${r})`),
    tie('f').map((f) => `not (${f})`),
  ),
}));

const filterArb = fc.letrec<{ f: string }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(fc.constantFrom(...stringAttrs), fc.constantFrom(...allOps), stringLiteral).map(([a, o, v]) => `${a} ${o} ${q(v)}`),
    fc.tuple(fc.constantFrom('active', 'emails.primary'), fc.constantFrom('eq', 'ne'), fc.constantFrom('true', 'false', '"True"')).map(
      ([a, o, v]) => `${a} ${o} ${v}`,
    ),
    fc.tuple(fc.constantFrom('eq', 'ne', 'gt', 'ge', 'lt', 'le'), fc.constantFrom(...instants, '2020-01-01T01:00:00+01:00', '2020-01-01T00:00:00'))
      .map(([o, v]) => `meta.created ${o} ${q(v)}`),
    fc.constantFrom(...stringAttrs, 'name', 'active', 'emails.primary').map((a) => `${a} pr`),
    fc.constantFrom(...stringAttrs).map((a) => `${a} eq null`),
    inner.f.map((f) => `emails[${f}]`),
    fc.tuple(tie('f'), fc.constantFrom('and', 'or', 'AND', 'Or'), tie('f')).map(([l, o, r]) => `(${l} ${o} ${r})`),
    tie('f').map((f) => `not (${f})`),
  ),
}));

describe('filter: SQL and memory agree', () => {
  const db = new Client({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' });
  const schema = `scim_prop_${process.pid}_${Date.now()}`;
  const users: ScimResource[] = [];

  beforeAll(async () => {
    await db.connect();
    await db.query(`CREATE SCHEMA ${schema}`);
    await db.query(`SET search_path TO ${schema}, public`);
    await db.query(DDL);
    const samples = fc.sample(userArb, { numRuns: 60, seed: 7 });
    for (const [i, s] of samples.entries()) {
      const { resource } = validateResource(
        'User',
        {
          schemas: [URN.User],
          userName: `${words[i % words.length] || 'empty'}${i}`,
          displayName: s.displayName,
          active: s.active,
          title: s.title,
          externalId: s.externalId,
          name: { familyName: s.familyName },
          emails: s.emails,
          [ent]: { department: s.department },
        },
        'create',
      );
      const emailValues = ((resource.emails ?? []) as { value?: string }[]).flatMap((e) => (e.value ? [e.value.toLowerCase()] : []));
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO users (user_name, external_id, display_name, active, emails, role, data, created, last_modified)
         VALUES ($1, $2, $3, $4, $5, 'member', $6, $7, $7) RETURNING id`,
        [resource.userName, resource.externalId ?? null, resource.displayName ?? null, resource.active, emailValues, resource, s.created],
      );
      users.push({ ...resource, id: rows[0]!.id, meta: { resourceType: 'User', created: s.created, lastModified: s.created } });
    }
  });

  afterAll(async () => {
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db.end();
  });

  const bind = (text: string): BoundFilter | undefined => {
    try {
      return bindFilter(parseFilter(text), 'User');
    } catch (e) {
      if (e instanceof ScimError) {
        return undefined;
      }
      throw e;
    }
  };

  it('selects the same ids for random filters', async () => {
    let compared = 0;
    let selective = 0;
    await fc.assert(
      fc.asyncProperty(filterArb.f, async (text) => {
        const filter = bind(text);
        fc.pre(filter !== undefined);
        compared++;
        const { sql, params } = filterToSql(filter, userFilterMapping);
        const { rows } = await db.query<{ id: string }>(`SELECT id FROM users u WHERE ${sql}`, params);
        const fromSql = rows.map((r) => r.id).sort();
        const fromMemory = users.filter((u) => matchesFilter(u, filter)).map((u) => String(u.id)).sort();
        expect({ text, ids: fromSql }).toEqual({ text, ids: fromMemory });
        selective += fromSql.length > 0 && fromSql.length < users.length ? 1 : 0;
      }),
      { numRuns: 600, seed: Number(process.env.FC_SEED ?? Date.now() % 100000) },
    );
    expect(compared).toBeGreaterThan(300);
    expect(selective).toBeGreaterThan(compared / 4);
  });
});
