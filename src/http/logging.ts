import { Params } from 'nestjs-pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { DestinationStream, Logger } from 'pino';
import type { Options } from 'pino-http';
import { AppConfig } from '../config/env';
import type { ScimError } from '../scim';
import { requestId } from './request-info';

/** A rejected request's scimType and detail (never its body), so an IdP's quarantine can be traced from the log. */
const scimErrors = new WeakMap<IncomingMessage, { scimType?: string; detail: string }>();
export const noteScimError = (req: IncomingMessage, e: ScimError) => scimErrors.set(req, { scimType: e.scimType, detail: e.detail });

/** The one pino logger: JSON lines at LOG_LEVEL, secrets redacted, bodies never logged (personal data). */
export const createLogger = (config: Pick<AppConfig, 'logLevel'>, destination?: DestinationStream): Logger =>
  pino(
    {
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', '*.password', '*.token', '*.adminApiKey'], censor: '[redacted]' },
    },
    destination,
  );

/** pino-http's view of a request, as it hands it to the `req` serializer. */
interface LoggedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

/**
 * The request log: one `request completed` line per request, at info/warn/error by status, with its reqId, and for
 * a rejected request the SCIM error's scimType and detail. Service lines within a request (through Nest's Logger
 * and nestjs-pino) carry the same reqId.
 */
export const requestLogOptions = (logger: Logger): Options<IncomingMessage, ServerResponse> => ({
  logger,
  quietReqLogger: true,
  genReqId: (req) => requestId(req),
  customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
  customSuccessMessage: () => 'request completed',
  customErrorMessage: () => 'request completed',
  customProps: (req) => scimErrors.get(req) ?? {},
  serializers: {
    req: (req: LoggedRequest) => ({
      method: req.method,
      url: req.url,
      userAgent: req.headers['user-agent'],
      // Only whether credentials came, never what they were.
      authorization: req.headers.authorization === undefined ? undefined : '[redacted]',
    }),
    res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
  },
});

/** nestjs-pino on the logger the request log already uses; the platform binds each request's child logger. */
export const loggerParams = (logger: Logger): Params => ({ pinoHttp: { logger }, useExisting: true, forRoutes: [] });
