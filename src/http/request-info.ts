import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** What the layers above the platform need to know about a request; the platform describes each request once. */
export interface RequestInfo {
  /** X-Request-Id: the client's when it is a safe token, else a new UUID. */
  readonly id: string;
  /** The path without the query string. */
  readonly path: string;
  /** Whether the path is under /scim/v2 (matched case-insensitively, as routes are). */
  readonly scim: boolean;
  /** Absolute base of SCIM URLs: PUBLIC_BASE_URL behind a proxy, else what the client called. */
  readonly baseUrl: string;
  /** The User-Agent header (for the audit trail). */
  readonly userAgent: string | undefined;
  /** Who made the request, once the auth guard has checked the credential (for the log and the audit trail). */
  principal?: Principal;
  /** What the request changed, as the service that changed it noted it (for the audit trail). */
  change?: ChangeNote;
}

/**
 * A checked credential: a SCIM token (one per IdP connection), the admin key, the introspection secret, or a user's
 * API key (forward auth).
 */
export type Principal =
  | { readonly kind: 'scim-token'; readonly id: string; readonly name: string }
  | { readonly kind: 'admin' }
  | { readonly kind: 'introspection' }
  | { readonly kind: 'api-key'; readonly id: string; readonly userId: string };

/** A summary of a change: which resource, and what changed in it by name and count, never its values. */
export interface ChangeNote {
  readonly resourceType: string;
  readonly resourceId?: string;
  readonly summary?: Readonly<Record<string, unknown>>;
}

const SCIM_PREFIX = '/scim/v2'; // lower case
const REQUEST_ID = /^[\w.:@-]{1,128}$/;
/** A Host header we are willing to echo into Location headers and meta.location. */
const HOST = /^[\w.-]+(:\d{1,5})?$|^\[[\da-f:.]+\](:\d{1,5})?$/i;

const infos = new WeakMap<IncomingMessage, RequestInfo>();
/** The request being served, for code that has no request object (services noting what they changed). */
const scope = new AsyncLocalStorage<RequestInfo>();

/** The description of the request this code runs for, if any (none in the CLI). */
export const currentRequest = (): RequestInfo | undefined => scope.getStore();

/** Runs `work` as part of `info`'s request: the platform for each request, Bulk for each of its operations. */
export const runInRequest = <T>(info: RequestInfo, work: () => T): T => scope.run(info, work);

/** The client's X-Request-Id when it is a safe token, else a new UUID. */
export const requestId = (req: IncomingMessage): string => {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
};

/** Describes a request as it arrives; `id` is the one the request logger assigned. */
export function describeRequest(req: IncomingMessage, id: string, publicBaseUrl: string | undefined): RequestInfo {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const lower = path.toLowerCase();
  const host = req.headers.host;
  const origin =
    publicBaseUrl ?? `${(req.socket as TLSSocket).encrypted ? 'https' : 'http'}://${host && HOST.test(host) ? host : 'localhost'}`;
  const info: RequestInfo = {
    id,
    path,
    scim: lower === SCIM_PREFIX || lower.startsWith(`${SCIM_PREFIX}/`),
    baseUrl: `${origin}${SCIM_PREFIX}`,
    userAgent: req.headers['user-agent'],
  };
  infos.set(req, info);
  return info;
}

/** The description the platform made when the request arrived. */
export function requestInfo(req: IncomingMessage): RequestInfo {
  const info = infos.get(req);
  if (!info) {
    throw new Error('The request was not described by the HTTP platform');
  }
  return info;
}
