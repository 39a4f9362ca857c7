import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { URN } from '../src/scim/urns';

/**
 * Realistic users, Entra-style. One function, `bodyOf`, shapes them: `userBody` fills it with values for a POST body,
 * and `SEED_SELECT` fills it with SQL column names, so the seed builds each row set-based in PostgreSQL from the
 * same template. `checkSeedShape` proves against the running app that a seeded row equals what POST /Users stores.
 */

const GIVEN = [
  'Ada',
  'Grace',
  'Alan',
  'Barbara',
  'Edsger',
  'Frances',
  'Donald',
  'Margaret',
  'Ken',
  'Radia',
  'Niklaus',
  'Shafi',
  'Tim',
  'Leslie',
  'John',
  'Hedy',
];
const FAMILY = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Liskov',
  'Dijkstra',
  'Allen',
  'Knuth',
  'Hamilton',
  'Thompson',
  'Perlman',
  'Wirth',
  'Goldwasser',
  'Berners-Lee',
  'Lamport',
  'McCarthy',
  'Lamarr',
];
const DEPARTMENTS = ['Engineering', 'Sales', 'Marketing', 'Finance', 'Support', 'Legal', 'Operations', 'Research'];

/** What varies between users; every value is plain ASCII without quotes or backslashes (safe inside JSON and SQL). */
interface UserParts {
  given: string;
  family: string;
  key: string;
  department: string;
  externalId: string;
  manager: string;
}

function bodyOf(p: UserParts) {
  const userName = `${p.given}.${p.family}.${p.key}@example.com`;
  return {
    schemas: [URN.User, URN.EnterpriseUser],
    userName,
    externalId: p.externalId,
    name: { givenName: p.given, familyName: p.family, formatted: `${p.given} ${p.family}` },
    displayName: `${p.given} ${p.family}`,
    emails: [{ value: userName, type: 'work', primary: true }],
    active: true,
    [URN.EnterpriseUser]: { employeeNumber: p.key, department: p.department, manager: { value: p.manager } },
  };
}

/** md5 formatted as a UUID, as PostgreSQL's md5(text)::uuid::text prints it. */
const md5Uuid = (s: string) =>
  createHash('md5')
    .update(s)
    .digest('hex')
    .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

/** The user numbered `n`, with a unique `key` (the seed uses String(n)) in userName, externalId and employeeNumber. */
export function userBody(n: number, key = String(n)): Record<string, unknown> {
  return bodyOf({
    given: GIVEN[n % 16] as string,
    family: FAMILY[Math.floor(n / 16) % 16] as string,
    key,
    department: DEPARTMENTS[n % 8] as string,
    externalId: md5Uuid(`ext${key}`),
    manager: md5Uuid(`mgr${n % 1000}`),
  });
}

const sqlArray = (xs: readonly string[]) => `ARRAY[${xs.map((x) => `'${x}'`).join(', ')}]`;

/** bodyOf with each part replaced by a marker; `sqlText` turns a string holding markers into a SQL concatenation. */
const SQL_BODY = bodyOf({
  given: '{{given}}',
  family: '{{family}}',
  key: '{{key}}',
  department: '{{department}}',
  externalId: '{{externalId}}',
  manager: '{{manager}}',
});
const sqlText = (s: string) =>
  `'${s.replace(/'/g, "''").replace(/\{\{(\w+)\}\}/g, `' || "$1" || '`)}'`.replace(/^'' \|\| /, '').replace(/ \|\| ''$/, '');

/**
 * userBody(g) for g in [$1, $2] as stored rows ($3 is the role): the columns as toColumns derives them, and `data`
 * as JSON text cast to jsonb (2-3x faster than nested jsonb_build_object calls).
 */
const SEED_SELECT = `
  WITH parts AS (
    SELECT g,
           g::text AS "key",
           (${sqlArray(GIVEN)})[1 + g % 16] AS "given",
           (${sqlArray(FAMILY)})[1 + (g / 16) % 16] AS "family",
           (${sqlArray(DEPARTMENTS)})[1 + g % 8] AS "department",
           md5('ext' || g)::uuid::text AS "externalId",
           md5('mgr' || g % 1000)::uuid::text AS "manager"
    FROM generate_series($1::int, $2::int) g
  )
  SELECT ${sqlText(SQL_BODY.userName)} AS user_name,
         "externalId" AS external_id,
         ${sqlText(SQL_BODY.displayName)} AS display_name,
         true AS active,
         ${sqlText(SQL_BODY.emails[0]?.value ?? '')} AS primary_email,
         ARRAY[lower(${sqlText(SQL_BODY.emails[0]?.value ?? '')})] AS emails,
         $3::text AS role,
         (${sqlText(JSON.stringify(SQL_BODY))})::jsonb AS data,
         -- Spread creation over the past so the (created, id) list order is realistic; older users have lower numbers.
         now() - (100000000 - g) * interval '1 second' AS created
  FROM parts`;

const COMPARED = ['user_name', 'external_id', 'display_name', 'active', 'primary_email', 'emails', 'role', 'data'] as const;

/**
 * Compares the row POST /Users stored for userBody(n) with what SEED_SELECT builds for n; returns the role to seed
 * with and the columns that differ (empty when the seed is faithful).
 */
export async function checkSeedShape(pool: Pool, n: number): Promise<{ role: string; differences: string[] }> {
  const userName = userBody(n).userName as string;
  const { rows } = await pool.query<Record<string, unknown>>(
    `SELECT ${COMPARED.join(', ')} FROM users WHERE lower(user_name) = lower($1)`,
    [userName],
  );
  const stored = rows[0];
  if (!stored) {
    throw new Error(`the user ${userName} created through POST /Users is not in the users table`);
  }
  const role = stored.role as string;
  const seeded = (await pool.query<Record<string, unknown>>(SEED_SELECT, [n, n, role])).rows[0] ?? {};
  const canonical = (v: unknown): string =>
    JSON.stringify(v, (_k, x: unknown) =>
      x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x,
    );
  const differences = COMPARED.filter((c) => canonical(stored[c]) !== canonical(seeded[c])).map(
    (c) => `${c}: POST stored ${canonical(stored[c])}, the seed builds ${canonical(seeded[c])}`,
  );
  return { role, differences };
}

/**
 * Inserts userBody(from..to) set-based: one INSERT … SELECT per `batch` rows, two batches at a time (one per core).
 * For a large seed the secondary indexes are dropped first and rebuilt after with their own definitions (a sorted
 * build is many times faster than 1M random-order index inserts); the primary key stays.
 */
export async function seedUsers(pool: Pool, from: number, to: number, role: string, batch = 100_000): Promise<void> {
  const rebuild = to - from + 1 >= batch;
  const indexes = rebuild
    ? (
        await pool.query<{ name: string; def: string }>(
          `SELECT indexname AS name, indexdef AS def FROM pg_indexes
           WHERE schemaname = current_schema() AND tablename = 'users'
             AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'users'::regclass)`,
        )
      ).rows
    : [];
  for (const i of indexes) {
    await pool.query(`DROP INDEX "${i.name}"`);
  }
  indexes.sort((a, b) => Number(/USING gin/i.test(b.def)) - Number(/USING gin/i.test(a.def))); // the slowest build first
  const batches: [number, number][] = [];
  for (let lo = from; lo <= to; lo += batch) {
    batches.push([lo, Math.min(to, lo + batch - 1)]);
  }
  const insert = async () => {
    for (let b = batches.shift(); b; b = batches.shift()) {
      await pool.query(
        `INSERT INTO users (user_name, external_id, display_name, active, primary_email, emails, role, data, created, last_modified, version)
         SELECT user_name, external_id, display_name, active, primary_email, emails, role, data, created, created, 1 FROM (${SEED_SELECT}) seed`,
        [...b, role],
      );
    }
  };
  await Promise.all([insert(), insert()]);
  const build = async () => {
    const client = await pool.connect();
    try {
      await client.query(`SET maintenance_work_mem = '256MB'`);
      for (let i = indexes.shift(); i; i = indexes.shift()) {
        await client.query(i.def);
      }
    } finally {
      client.release();
    }
  };
  await Promise.all([build(), build()]);
}
