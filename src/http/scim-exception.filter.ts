import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter, HttpException, Logger, NotFoundException } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Request, Response } from 'express';
import { ScimError, SCIM_CONTENT_TYPE } from '../scim';
import { isScimRequest, requestPath } from './scim-content-type';

interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean> };
  match(path: string): boolean;
}

/** Errors raised by the body parser (express/body-parser) carry a `type`. */
interface BodyParserError {
  type: string;
  message: string;
}
/** Nest mounts middleware as wildcard routes, so req.route alone does not tell that an endpoint matched. */
const endpointMatched = (req: Request) => typeof req.route?.path === 'string' && !req.route.path.includes('*');

const isBodyParserError = (e: unknown): e is BodyParserError => typeof (e as BodyParserError | null)?.type === 'string' && e instanceof Error;

/** Renders every error as an RFC 7644 §3.12 body: status as a string, scimType where defined, no stack traces. */
@Catch()
export class ScimExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly bodyLimit: string,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const scim = isScimRequest(req);
    if (!scim && exception instanceof HttpException && endpointMatched(req)) {
      // Outside /scim/v2 (health, admin validation by Nest itself) Nest's own body is kept, e.g. terminus' health report.
      res.status(exception.getStatus()).json(exception.getResponse());
      return;
    }
    const error = this.toScimError(exception, req);
    if (error.status >= 500) {
      this.logger.error({ err: exception, reqId: req.id }, 'unhandled error');
    }
    if (error.status < 500) {
      res.locals.scimError = { scimType: error.scimType, detail: error.detail };
    }
    if (error.status === 401) {
      res.setHeader('WWW-Authenticate', `Bearer realm="${scim ? 'scim' : 'admin'}"`);
    }
    if (error.status === 405) {
      res.setHeader('Allow', this.allowedMethods(requestPath(req)).join(', '));
    }
    const contentType = scim ? SCIM_CONTENT_TYPE : 'application/json';
    res.status(error.status).type(`${contentType}; charset=utf-8`).send(JSON.stringify(error.toBody()));
  }

  private toScimError(e: unknown, req: Request): ScimError {
    if (e instanceof ScimError) {
      return e;
    }
    if (isBodyParserError(e)) {
      switch (e.type) {
        case 'entity.too.large':
          return ScimError.payloadTooLarge(`The request body is larger than the limit of ${this.bodyLimit} (BODY_LIMIT)`);
        case 'encoding.unsupported':
        case 'charset.unsupported':
          return ScimError.unsupportedMediaType(`${e.message}; send UTF-8 JSON`);
      }
    }
    // Nest turns the JSON parser's SyntaxError into a BadRequestException before any route is matched.
    if (e instanceof BadRequestException && !endpointMatched(req)) {
      return ScimError.invalidSyntax(`The request body is not valid JSON: ${e.message}`);
    }
    if (e instanceof NotFoundException && !endpointMatched(req)) {
      const path = requestPath(req);
      const allowed = this.allowedMethods(path);
      return allowed.length > 0
        ? ScimError.methodNotAllowed(`${req.method} is not supported on ${path}; use ${allowed.join(', ')}`)
        : ScimError.notFound(`There is no endpoint at ${req.method} ${path}`);
    }
    if (e instanceof HttpException) {
      return new ScimError(e.getStatus(), undefined, e.message);
    }
    return ScimError.internal();
  }

  /** The methods registered for a path, from the Express router (so 405 answers stay true as routes are added). */
  private allowedMethods(path: string): string[] {
    const app = this.adapterHost.httpAdapter.getInstance<{ router: { stack: RouteLayer[] } }>();
    // Wildcard routes are Nest's middleware mounts, not endpoints.
    const endpoints = app.router.stack.filter((l) => l.route && !l.route.path.includes('*') && l.match(path));
    const methods = endpoints.flatMap((l) => Object.keys(l.route?.methods ?? {}));
    return [...new Set(methods.filter((m) => m !== '_all').map((m) => m.toUpperCase()))];
  }
}
