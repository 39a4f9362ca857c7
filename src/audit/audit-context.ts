import { userInfo } from 'node:os';
import { currentRequest, type ChangeNote, type Principal, type RequestInfo } from '../http/request-info';
import { isObject, jsonEqual, type ScimResource } from '../scim';

/** Who acts: the request's checked credential, or the operating-system user of the CLI when there is no request. */
export type Actor = Principal | { readonly kind: 'cli'; readonly name: string };

const osUser = (): string => {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
};

/** The actor of the code running now. Outside a request the only entry point is the CLI. */
export function currentActor(): Actor {
  return currentRequest()?.principal ?? { kind: 'cli', name: osUser() };
}

/** The actor in a word or two, for `status_changed_by` and log lines: never a secret. */
export function actorLabel(a: Actor): string {
  switch (a.kind) {
    case 'admin':
    case 'introspection':
      return a.kind;
    case 'cli':
      return `cli:${a.name}`;
    case 'scim-token':
      return `scim-token:${a.id}`;
    case 'api-key':
      return `api-key:${a.id}`;
  }
}

/**
 * Tells the audit trail what the current request changed (services call it once per write, after the commit). Outside
 * a request (the CLI records its own actions) it does nothing.
 */
export function noteChange(change: ChangeNote): void {
  const info = currentRequest();
  if (info) {
    info.change = change;
  }
}

/**
 * The attributes whose values differ between two versions of a resource, by name: top-level attributes, and for an
 * extension schema the attributes inside it (`urn:…:enterprise:2.0:User:department`). Names only, never values.
 */
export function changedAttributes(before: ScimResource, after: ScimResource): string[] {
  const names: string[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (jsonEqual(before[key], after[key])) {
      continue;
    }
    const [b, a] = [before[key], after[key]];
    if (key.includes(':') && (isObject(b) || isObject(a))) {
      const inner = changedAttributes(isObject(b) ? b : {}, isObject(a) ? a : {});
      names.push(...inner.map((n) => `${key}:${n}`));
    } else {
      names.push(key);
    }
  }
  return names.sort();
}

/**
 * For Bulk: a scope for one operation of the current request (same request id, actor and user agent, a change note of
 * its own). Run the operation with `runInRequest(scope, …)`, then hand the scope to AuditService.recordOperation.
 */
export function operationScope(): RequestInfo | undefined {
  const info = currentRequest();
  return info && { ...info, change: undefined };
}
