import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseJson, SCIM_CONTENT_TYPE, ScimError } from '../scim';

const SCIM_PREFIX = '/scim/v2'; // lower case
/** The request path without the query string. */
export const requestPath = (req: FastifyRequest) => req.url.split('?')[0] ?? '/';
/** Routes match case-insensitively (createHttpAdapter), so this does too. */
export const isScimRequest = (req: FastifyRequest) => {
  const path = requestPath(req).toLowerCase();
  return path === SCIM_PREFIX || path.startsWith(`${SCIM_PREFIX}/`);
};

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

/** 415 for a body of another media type. */
export const unsupportedMediaType = (req: FastifyRequest) =>
  ScimError.unsupportedMediaType(
    `Send the request body as ${SCIM_CONTENT_TYPE} or application/json (got ${req.headers['content-type'] ?? 'no Content-Type'})`,
  );

/**
 * Request bodies are JSON, as application/scim+json or application/json (RFC 7644 §3.1 allows both), in UTF-8; any
 * other media type is refused with 415. An empty body is no body, whatever the Content-Type (some clients send one
 * on DELETE). Bodies are parsed by the core's parseJson, which also checks their shape (depth, prototype keys) before
 * any recursive code sees them. Every /scim/v2 response is application/scim+json.
 */
export function registerScimContentTypes(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser([SCIM_CONTENT_TYPE, 'application/json'], { parseAs: 'string' }, (req, body, done) => {
    const charset = CHARSET.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      return done(ScimError.unsupportedMediaType(`The charset ${charset} is not supported; send UTF-8 JSON`), undefined);
    }
    if (body === '') {
      return done(null, undefined); // a write that needs a body says so
    }
    // The core's parser: 400 invalidSyntax for invalid JSON, JSON nested too deep, and prototype keys (naming them).
    try {
      return done(null, parseJson(body as string));
    } catch (e) {
      return done(e as Error, undefined);
    }
  });
  app.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) =>
    body === '' ? done(null, undefined) : done(unsupportedMediaType(req), undefined),
  );
  app.addHook('onRequest', (req, reply, next) => {
    if (isScimRequest(req)) {
      reply.header('content-type', `${SCIM_CONTENT_TYPE}; charset=utf-8`);
    }
    next();
  });
}
