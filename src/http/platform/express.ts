/*
 * The HTTP platform: Express, through @nestjs/platform-express (the design card names it). This room is the only code
 * that knows it; every other file sees Node's IncomingMessage/ServerResponse and Nest's neutral APIs.
 */
import { INestApplication } from '@nestjs/common';
import { AbstractHttpAdapter } from '@nestjs/core';
import { ExpressAdapter, NestExpressApplication } from '@nestjs/platform-express';
import type { Application, NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import getRawBody from 'raw-body';
import { AppConfig, sizeInBytes } from '../../config/env';
import { SCIM_CONTENT_TYPE, ScimError } from '../../scim';
import { ignoresBody, parseRequestBody } from '../json-body';
import { renderResult } from '../render-result';
import { requestInfo } from '../request-info';
import { RequestDone, requestLog } from '../request-log';
import { RouteTable, sendScimError } from '../scim-exception.filter';

const HEADERS_TIMEOUT_MS = 10_000;
/** An idle keep-alive connection is closed after this long, so idle sockets stay bounded. */
const KEEP_ALIVE_MS = 5000;
const DEADLINE_RETRY_AFTER = 5;

/** How much of a body over BODY_LIMIT is still read, and thrown away, before the connection is cut instead. */
const DRAIN_BYTES = 16 * 1024 * 1024;

/** POST /Bulk, matched as routes are (case-insensitively, with an optional trailing slash). */
const BULK_PATH = /^\/scim\/v2\/bulk\/?$/i;

/**
 * Express with bounded connections (how long a request may take to arrive, how long a connection may idle), which
 * renders SCIM results as it replies.
 */
class ScimExpressAdapter extends ExpressAdapter {
  constructor(private readonly receiveTimeoutMs: number) {
    super();
  }

  override async reply(res: Response, body: unknown, statusCode?: number): Promise<unknown> {
    return super.reply(res, await renderResult(res.req, res, body), statusCode);
  }

  override initHttpServer(): void {
    this.httpServer = createServer(
      {
        // A client that trickles its headers or body (a byte at a time) is cut off; others are served meanwhile.
        headersTimeout: Math.min(HEADERS_TIMEOUT_MS, this.receiveTimeoutMs),
        requestTimeout: this.receiveTimeoutMs,
        keepAliveTimeout: KEEP_ALIVE_MS,
        // Node checks those timeouts every 30 s by default, which would let a trickle last that much longer.
        connectionsCheckingInterval: 1000,
      },
      this.getInstance(),
    );
  }
}

export const createHttpAdapter = (config: Pick<AppConfig, 'httpReceiveTimeoutMs'>): AbstractHttpAdapter =>
  new ScimExpressAdapter(config.httpReceiveTimeoutMs);

/** The answer deadline: a request the server has not started to answer in time gets a 503 (a stalled database). */
function answerDeadline(ms: number) {
  const error = ScimError.unavailable(
    `The server could not answer within ${ms / 1000} s; retry after the time in Retry-After`,
    DEADLINE_RETRY_AFTER,
  );
  return (req: Request, res: Response, next: NextFunction) => {
    const timer = setTimeout(() => {
      if (!res.headersSent) {
        sendScimError(req, res, error);
      }
    }, ms);
    res.once('close', () => clearTimeout(timer));
    next();
  };
}

/**
 * helmet's headers, computed once: with its defaults (no CSP nonces or per-request directives) they do not depend on
 * the request, so running its middleware on every request would only repeat the same work.
 */
function helmetHeaders(): [string, string][] {
  const headers = new Map<string, string>();
  const res = {
    setHeader: (name: string, value: unknown) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  };
  helmet()({ headers: {} } as IncomingMessage, res as unknown as ServerResponse, () => undefined);
  return [...headers];
}

const hasBody = (req: IncomingMessage) =>
  req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

/** Reads and discards the rest of a refused body, so that the client, still sending, can read the answer. */
function drain(req: IncomingMessage, cap: number, then: () => void): void {
  let seen = 0;
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > cap) {
      req.destroy(); // a client that keeps sending past the cap gets no answer
    }
  });
  req.once('end', then);
  req.resume();
}

/**
 * Reads a JSON body (a form on the introspection route) up to BODY_LIMIT (BULK_MAX_PAYLOAD for /Bulk, RFC 7644
 * §3.7.4). A larger body gets a 413 SCIM error the client can read: the server reads the rest and throws it away before
 * answering, because answering while the client still sends makes it fail with EPIPE or ECONNRESET instead of reading
 * the answer.
 */
function bodyReader(config: Pick<AppConfig, 'bodyLimit' | 'bulkMaxPayload'>) {
  const limits = {
    body: { bytes: sizeInBytes(config.bodyLimit), text: `${config.bodyLimit} (BODY_LIMIT)` },
    bulk: { bytes: sizeInBytes(config.bulkMaxPayload), text: `${config.bulkMaxPayload} (BULK_MAX_PAYLOAD, maxPayloadSize)` },
  };
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!hasBody(req) || ignoresBody(requestInfo(req).path)) {
      return next();
    }
    const limit = BULK_PATH.test(requestInfo(req).path) ? limits.bulk : limits.body;
    getRawBody(
      req,
      { limit: limit.bytes, length: req.headers['content-length'], encoding: 'utf8' },
      (err: (Error & { type?: string }) | null, text: string) => {
        if (err?.type === 'entity.too.large') {
          return drain(req, DRAIN_BYTES, () =>
            next(ScimError.payloadTooLarge(`The request body is larger than the limit of ${limit.text}`)),
          );
        }
        if (err) {
          return next(ScimError.badRequest(`The request body could not be read (${err.message})`));
        }
        try {
          req.body = parseRequestBody(requestInfo(req).path, req.headers['content-type'], text);
          next();
        } catch (e) {
          next(e);
        }
      },
    );
  };
}

/** Headers every answer carries: the request id, helmet's (not on Swagger UI), and the SCIM content type under /scim/v2. */
function commonHeaders() {
  const secure = helmetHeaders();
  const scimJson = `${SCIM_CONTENT_TYPE}; charset=utf-8`;
  return (req: Request, res: Response, next: NextFunction) => {
    const info = requestInfo(req);
    res.setHeader('X-Request-Id', info.id);
    // Swagger UI needs inline scripts that helmet's CSP forbids.
    if (!info.path.startsWith('/docs')) {
      for (const [name, value] of secure) {
        res.setHeader(name, value);
      }
    }
    if (info.scim) {
      res.setHeader('Content-Type', scimJson);
    }
    next();
  };
}

/** Which methods each path has (for 405 and Allow), read from the routes Express holds once Nest registered them. */
class ExpressRouteTable implements RouteTable {
  private routes?: { pattern: RegExp; methods: string[] }[];

  constructor(private readonly app: Application) {}

  allowedMethods(path: string): string[] {
    this.routes ??= this.read();
    return [...new Set(this.routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods))];
  }

  /** Nest's paths are literal segments and `:param`s; matched as Express matches them, case-insensitively with an optional trailing slash. */
  private read() {
    const stack = (this.app as unknown as { router: { stack: { route?: { path: unknown; methods: Record<string, boolean> } }[] } }).router
      .stack;
    return stack.flatMap(({ route }) => {
      if (typeof route?.path !== 'string') {
        return [];
      }
      const source = route.path
        .split('/')
        .map((s) => (s.startsWith(':') ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('/');
      const methods = Object.keys(route.methods)
        .filter((m) => m !== '_all')
        .map((m) => m.toUpperCase());
      return [{ pattern: new RegExp(`^${source}/?$`, 'i'), methods }];
    });
  }
}

/**
 * Everything the platform does for every request, before Nest routes it; `done` hears of every request once it is over
 * (the audit trail). Returns the route table for 405s.
 */
export function configurePlatform(nest: INestApplication, config: AppConfig, logger: Logger, done?: RequestDone): RouteTable {
  const app = nest as NestExpressApplication;
  app.disable('x-powered-by'); // helmet's headers leave it out too
  app.set('etag', false); // ETags are resource versions, set by the SCIM interceptor, never a hash of the body
  app.use(requestLog(logger, { publicBaseUrl: config.publicBaseUrl, personalData: config.logPersonalData, done }));
  app.use(commonHeaders());
  app.use(bodyReader(config));
  app.use(answerDeadline(config.httpAnswerTimeoutMs)); // from when the whole request has arrived
  return new ExpressRouteTable(app.getHttpAdapter().getInstance() as Application);
}
