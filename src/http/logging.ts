import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Params } from 'nestjs-pino';
import { AppConfig } from '../config/env';

const REQUEST_ID = /^[\w.:@-]{1,128}$/;

/** JSON lines, one per request, with a request id (X-Request-Id in, X-Request-Id out) and secrets redacted. */
export const loggerParams = (config: AppConfig): Params => ({
  pinoHttp: {
    level: config.logLevel,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // A rejected request's scimType and detail (never its body), so an IdP's quarantine can be traced from the log.
    customProps: (_req, res: ServerResponse & { locals?: { scimError?: object } }) => res.locals?.scimError ?? {},
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    // Bodies are never logged (personal data); headers only where harmless.
    serializers: {
      req: (req: { id: string; method: string; url: string; headers: Record<string, string | undefined> }) => ({
        id: req.id,
        method: req.method,
        url: req.url,
        userAgent: req.headers['user-agent'],
        // Only whether credentials came, never what they were.
        authorization: req.headers.authorization === undefined ? undefined : '[redacted]',
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    redact: { paths: ['req.headers.authorization', '*.password', '*.token', '*.adminApiKey'], censor: '[redacted]' },
  },
});
