import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger, NotFoundException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SCIM_CONTENT_TYPE, ScimError } from '../scim';
import { noteScimError } from './logging';
import { RouteTable } from './route-table';
import { isScimRequest, requestPath, unsupportedMediaType } from './scim-content-type';

/** An RFC 7644 §3.12 error body: application/scim+json under /scim/v2, application/json elsewhere (admin routes). */
export function sendScimError(req: FastifyRequest, reply: FastifyReply, error: ScimError): void {
  const contentType = isScimRequest(req) ? SCIM_CONTENT_TYPE : 'application/json';
  void reply.status(error.status).type(`${contentType}; charset=utf-8`).send(JSON.stringify(error.toBody()));
}

/**
 * Errors Fastify raises while routing, before Nest sees the request: a malformed percent-encoding in the path, or a
 * path parameter longer than any id (no such resource).
 */
export function sendRoutingError(error: Error & { code?: string }, req: FastifyRequest, reply: FastifyReply): void {
  const path = requestPath(req).slice(0, 200);
  sendScimError(
    req,
    reply,
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? ScimError.notFound(`There is no resource at ${path}`)
      : new ScimError(400, undefined, `The request path is not valid: ${error.message}`),
  );
}

/** Whether the request reached an endpoint, rather than Fastify's not-found handler. */
const endpointMatched = (req: FastifyRequest) => req.routeOptions.url !== undefined;

/** Renders every error as an RFC 7644 §3.12 body: status as a string, scimType where defined, no stack traces. */
@Catch()
export class ScimExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(
    private readonly routes: RouteTable,
    private readonly bodyLimit: string,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const scim = isScimRequest(req);
    if (!scim && exception instanceof HttpException && endpointMatched(req)) {
      // Outside /scim/v2 (health, admin validation by Nest itself) Nest's own body is kept, e.g. terminus' health report.
      void reply.status(exception.getStatus()).send(exception.getResponse());
      return;
    }
    const error = this.toScimError(exception, req);
    if (error.status >= 500) {
      this.logger.error({ err: exception }, 'unhandled error');
    } else {
      noteScimError(req, error);
    }
    if (error.status === 401) {
      reply.header('WWW-Authenticate', `Bearer realm="${scim ? 'scim' : 'admin'}"`);
    }
    if (error.status === 405) {
      reply.header('Allow', this.routes.allowedMethods(requestPath(req)).join(', '));
    }
    sendScimError(req, reply, error);
  }

  private toScimError(e: unknown, req: FastifyRequest): ScimError {
    if (e instanceof ScimError) {
      return e;
    }
    if (e instanceof NotFoundException && !endpointMatched(req)) {
      const path = requestPath(req);
      const allowed = this.routes.allowedMethods(path);
      return allowed.length > 0
        ? ScimError.methodNotAllowed(`${req.method} is not supported on ${path}; use ${allowed.join(', ')}`)
        : ScimError.notFound(`There is no endpoint at ${req.method} ${path}`);
    }
    if (e instanceof HttpException) {
      // Nest hands Fastify's body-reading errors on as HttpExceptions with the same status.
      switch (e.getStatus()) {
        case 413:
          return ScimError.payloadTooLarge(`The request body is larger than the limit of ${this.bodyLimit} (BODY_LIMIT)`);
        case 415:
          return unsupportedMediaType(req);
      }
      return new ScimError(e.getStatus(), undefined, e.message);
    }
    return ScimError.internal();
  }
}
