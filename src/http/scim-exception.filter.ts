import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger, NotFoundException } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isDatabaseUnavailable } from '../database/pg-errors';
import { SCIM_CONTENT_TYPE, ScimError } from '../scim';
import { noteScimError } from './logging';
import { requestInfo } from './request-info';

/** Which methods a path has; the platform knows its routes. */
export interface RouteTable {
  allowedMethods(path: string): string[];
}

/** Writes an RFC 7644 §3.12 error body: application/scim+json under /scim/v2, application/json elsewhere (admin routes). */
export function sendScimError(req: IncomingMessage, res: ServerResponse, error: ScimError): void {
  const body = JSON.stringify(error.toBody());
  res.statusCode = error.status;
  res.setHeader('Content-Type', `${requestInfo(req).scim ? SCIM_CONTENT_TYPE : 'application/json'}; charset=utf-8`);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  if (error.retryAfter !== undefined) {
    res.setHeader('Retry-After', String(error.retryAfter));
  }
  res.end(body);
}

/** Which credential a 401 asks for (RFC 6750 §3 realm): a SCIM token, a user's API key, the introspection secret, or the admin key. */
const realmOf = (path: string, scim: boolean): string => {
  const p = path.toLowerCase();
  return scim ? 'scim' : p.startsWith('/auth/') ? 'api-key' : p.startsWith('/introspect') ? 'introspection' : 'admin';
};

/** Seconds a client should wait after the database could not serve: long enough for a restart or a failover to finish. */
const DATABASE_RETRY_AFTER = 5;

/**
 * What an unexpected error may show in the log: never its other properties, since a failed query carries its
 * parameters (userNames, emails) and a TypeORM error the whole statement.
 */
const summary = (e: unknown) => {
  const { name, message, code, stack } = (e ?? {}) as { name?: unknown; message?: unknown; code?: unknown; stack?: unknown };
  return { type: name, message, code, stack };
};

/** Renders every error as an RFC 7644 §3.12 body: status as a string, scimType where defined, no stack traces. */
@Catch()
export class ScimExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly routes: RouteTable) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<IncomingMessage>();
    const res = host.switchToHttp().getResponse<ServerResponse>();
    if (res.writableEnded) {
      return; // already answered: a 503 from the answer deadline, and this is the late outcome of the handler
    }
    if (res.headersSent) {
      // A streamed body failed half-way: the status is gone, so the client must see a cut-off response.
      this.logger.error({ err: summary(exception) }, 'response failed after its headers were sent');
      res.destroy();
      return;
    }
    const info = requestInfo(req);
    if (!info.scim && exception instanceof HttpException && !(exception instanceof NotFoundException)) {
      // Outside /scim/v2 Nest's own body is kept where an endpoint made one, e.g. terminus' health report.
      const body = JSON.stringify(exception.getResponse());
      res.statusCode = exception.getStatus();
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.end(body);
      return;
    }
    const error = this.toScimError(exception, req.method ?? 'GET', info.path);
    if (exception instanceof ScimError || error.status < 500) {
      noteScimError(req, error); // an answer the server chose (a 501 or 503 included)
    } else if (error.status === 503) {
      this.logger.warn({ cause: summary(exception) }, 'database unavailable');
    } else {
      this.logger.error({ err: summary(exception) }, 'unhandled error');
    }
    if (error.status === 401) {
      res.setHeader('WWW-Authenticate', `Bearer realm="${realmOf(info.path, info.scim)}"`);
    }
    if (error.status === 405) {
      res.setHeader('Allow', this.routes.allowedMethods(info.path).join(', '));
    }
    sendScimError(req, res, error);
  }

  private toScimError(e: unknown, method: string, path: string): ScimError {
    if (e instanceof ScimError) {
      return e;
    }
    if (e instanceof NotFoundException) {
      // Only the platform's not-found handler throws it: our services throw ScimError.
      const allowed = this.routes.allowedMethods(path);
      return allowed.length > 0
        ? ScimError.methodNotAllowed(`${method} is not supported on ${path}; use ${allowed.join(', ')}`)
        : ScimError.notFound(`There is no endpoint at ${method} ${path}`);
    }
    if (isDatabaseUnavailable(e)) {
      return ScimError.unavailable(
        'The database is unavailable or too slow right now; retry after the time in Retry-After',
        DATABASE_RETRY_AFTER,
      );
    }
    if (e instanceof HttpException) {
      // From the router, before any endpoint: a malformed percent-encoding in the path is a 400.
      return e.getStatus() === 400
        ? ScimError.badRequest(`The request path is not valid: ${e.message}`)
        : new ScimError(e.getStatus(), undefined, e.message);
    }
    return ScimError.internal();
  }
}
