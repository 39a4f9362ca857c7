import { FastifyInstance, FastifyReply, FastifyRequest, LogController } from 'fastify';
import { Params } from 'nestjs-pino';
import { storage, Store } from 'nestjs-pino/storage';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import pino, { DestinationStream, Logger } from 'pino';
import { AppConfig } from '../config/env';
import type { ScimError } from '../scim';

const REQUEST_ID = /^[\w.:@-]{1,128}$/;

/** The client's X-Request-Id when it is a safe token, else a new UUID. */
export const requestId = (req: IncomingMessage): string => {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
};

/** A rejected request's scimType and detail (never its body), so an IdP's quarantine can be traced from the log. */
const scimErrors = new WeakMap<FastifyRequest, { scimType?: string; detail: string }>();
export const noteScimError = (req: FastifyRequest, e: ScimError) => scimErrors.set(req, { scimType: e.scimType, detail: e.detail });

/** The one pino logger: JSON lines at LOG_LEVEL, secrets redacted, bodies never logged (personal data). */
export const createLogger = (config: Pick<AppConfig, 'logLevel'>, destination?: DestinationStream): Logger =>
  pino(
    {
      level: config.logLevel,
      serializers: {
        req: (req: FastifyRequest) => ({
          method: req.method,
          url: req.url,
          userAgent: req.headers['user-agent'],
          // Only whether credentials came, never what they were.
          authorization: req.headers.authorization === undefined ? undefined : '[redacted]',
        }),
        res: (reply: FastifyReply) => ({ statusCode: reply.statusCode }),
      },
      redact: { paths: ['req.headers.authorization', '*.password', '*.token', '*.adminApiKey'], censor: '[redacted]' },
    },
    destination,
  );

/**
 * nestjs-pino on the logger Fastify already uses: Nest's Logger calls (services, bootstrap) go to it, and within a
 * request to that request's child logger, so their lines carry its reqId.
 */
export const loggerParams = (logger: Logger): Params => ({ pinoHttp: { logger }, useExisting: true, forRoutes: [] });

/**
 * One line per request, when it completes, at info/warn/error by status, with its reqId (each request logs through
 * a child of the pino logger Fastify was given). Fastify's own two lines per request are replaced by this one.
 */
export class RequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, req: FastifyRequest, reply: FastifyReply): void {
    const status = reply.statusCode;
    const level = error || status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    const log = req.log as Logger;
    if (log.isLevelEnabled(level)) {
      log[level](
        { req, res: reply, responseTime: Math.round(reply.elapsedTime), err: error ?? undefined, ...scimErrors.get(req) },
        'request completed',
      );
    }
  }
}

/** Binds the request's logger for nestjs-pino, so Nest Logger lines within a request carry its reqId. */
export const bindRequestLogger = (app: FastifyInstance) =>
  app.addHook('onRequest', (req, _reply, next) => storage.run(new Store(req.log as Logger), next));
