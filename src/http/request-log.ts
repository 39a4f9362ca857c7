import { storage, Store } from 'nestjs-pino/storage';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { scimErrorOf } from './logging';
import { describeRequest, requestId, RequestInfo, runInRequest } from './request-info';

/** Filter values and other query values, which can be personal data (an email in `userName eq "…"`), as logged. */
const QUOTED = /"(?:[^"\\]|\\.)*"/g;
const BARE_VALUE = /\b(eq|ne|co|sw|ew|gt|ge|lt|le)(\s+)(?!")[^\s()[\]]+/gi;
const SAFE_PARAMS = new Set(['attributes', 'excludedAttributes', 'count', 'startIndex', 'sortBy', 'sortOrder', 'cursor']);

/** The URL as logged: the filter keeps its attributes and operators but not its values; other values go, bar paging and projection ones. */
export function loggedUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) {
    return url;
  }
  // Decoded, to be read by people; the values that could identify someone are gone anyway.
  const shown = [...new URLSearchParams(url.slice(q + 1))].map(([k, v]) =>
    k === 'filter' ? `${k}=${v.replace(QUOTED, '"…"').replace(BARE_VALUE, '$1$2…')}` : `${k}=${SAFE_PARAMS.has(k) ? v : '…'}`,
  );
  return `${url.slice(0, q)}?${shown.join('&')}`;
}

const principalOf = (info: RequestInfo) => {
  const p = info.principal;
  switch (p?.kind) {
    case undefined:
      return {};
    case 'admin':
      return { admin: true };
    case 'introspection':
      return { introspection: true };
    case 'scim-token':
      return { scimToken: { id: p.id, name: p.name } };
    case 'api-key':
      return { apiKey: { id: p.id, userId: p.userId } };
  }
};

/** Told about every request once its answer is complete or the client went away (the audit trail listens). */
export type RequestDone = (req: IncomingMessage, status: number, info: RequestInfo) => void;

/**
 * The request log, and the request's description: one `request completed` line per request, at info, warn (4xx) or
 * error (5xx), with its reqId, who made it (the SCIM token's id and name, or the admin key), and for a rejected request
 * the SCIM error's scimType and detail. Lines that services write within the request (Nest's Logger, through
 * nestjs-pino) carry the same reqId. Written here rather than with pino-http, which cost about a tenth of a request's
 * CPU in the platform bench (two child loggers and wrapped serializers per request).
 */
export function requestLog(logger: Logger, o: { publicBaseUrl: string | undefined; personalData: boolean; done?: RequestDone }) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const start = process.hrtime.bigint();
    const info = describeRequest(req, requestId(req), o.publicBaseUrl);
    const log = logger.child({ reqId: info.id });
    res.once('close', () => {
      const status = res.statusCode;
      try {
        o.done?.(req, status, info);
      } catch (e) {
        log.error({ err: e }, 'request observer failed'); // an observer must never take the process down
      }
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      if (!log.isLevelEnabled(level)) {
        return;
      }
      const error = scimErrorOf(req, o.personalData);
      log[level](
        {
          req: {
            method: req.method,
            url: o.personalData ? req.url : loggedUrl(req.url ?? '/'),
            userAgent: req.headers['user-agent'],
            // Only whether credentials came, never what they were.
            authorization: req.headers.authorization === undefined ? undefined : '[redacted]',
          },
          res: { statusCode: status },
          responseTime: Number((process.hrtime.bigint() - start) / 1_000_000n),
          ...(res.writableFinished ? {} : { aborted: true }),
          ...principalOf(info),
          ...error,
        },
        'request completed',
      );
    });
    runInRequest(info, () => storage.run(new Store(log), next));
  };
}
