import { NextFunction, Request, Response } from 'express';
import { ScimError, SCIM_CONTENT_TYPE } from '../scim';

export const SCIM_PREFIX = '/scim/v2';
/** The request path as the client sent it (req.path is relative to where a middleware is mounted). */
export const requestPath = (req: Request) => req.originalUrl.split('?')[0] ?? '/';
export const isScimRequest = (req: Request) => {
  const path = requestPath(req);
  return path === SCIM_PREFIX || path.startsWith(`${SCIM_PREFIX}/`);
};

/** Body media types the JSON parser accepts (RFC 7644 §3.1 allows both). */
export const JSON_TYPES = ['application/json', SCIM_CONTENT_TYPE];

/**
 * Under /scim/v2: a body must be JSON (415 otherwise, instead of a confusing validation error), and every response is
 * application/scim+json. Express's res.json keeps a Content-Type that is already set.
 */
export function scimContentType(req: Request, res: Response, next: NextFunction): void {
  if (!isScimRequest(req)) {
    return next();
  }
  res.setHeader('Content-Type', `${SCIM_CONTENT_TYPE}; charset=utf-8`);
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is(JSON_TYPES)) {
    return next(ScimError.unsupportedMediaType(`Send the request body as ${SCIM_CONTENT_TYPE} or application/json (got ${req.headers['content-type'] ?? 'no Content-Type'})`));
  }
  next();
}
