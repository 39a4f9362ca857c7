import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/**
 * At most this many distinct statement texts get a name. Filter SQL varies with the filter's shape, which clients
 * choose, so naming every text would grow each connection's statement cache without bound; past the cap, texts run
 * unnamed as before.
 */
const MAX_NAMED = 64;
const names = new Map<string, string>();
let enabled = true;

/** DATABASE_PREPARED_STATEMENTS, set once at start-up (DatabaseModule). */
export const usePreparedStatements = (on: boolean) => {
  enabled = on;
};

const nameOf = (text: string): string | undefined => {
  if (!enabled) {
    return undefined;
  }
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMED) {
    name = `scim_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
};

/**
 * Runs a hot statement as a named prepared statement, so PostgreSQL parses and plans it once per connection rather
 * than on every request: planning the users query with its groups subquery cost PostgreSQL several times what
 * running it did. Same result as `m.query(text, params)`.
 */
export function preparedQuery<T>(m: EntityManager, text: string, params: unknown[]): Promise<T> {
  const name = nameOf(text);
  // TypeORM passes the query to pg's client.query as given, and pg takes a { name, text } config there.
  return m.query(name === undefined ? text : ({ name, text } as unknown as string), params) as Promise<T>;
}
