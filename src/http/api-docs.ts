import { applyDecorators } from '@nestjs/common';
import type { HeadersObject, LinksObject } from '@nestjs/swagger';
import { ApiBearerAuth, ApiConsumes, ApiHeader, ApiProduces, ApiResponse } from '@nestjs/swagger';
import { SCIM_CONTENT_TYPE, URN } from '../scim';
import { ScimErrorDto } from './scim-error.dto';

/*
 * OpenAPI building blocks shared by the controllers, so that every operation documents its headers and errors the
 * same way. The document is for people trying the API in Swagger UI and for client generators: what is said here
 * must be what the server does (an e2e test executes every example).
 */

/** What SCIM routes accept: application/scim+json (RFC 7644 §3.1), and application/json, which many clients send. */
export const SCIM_REQUEST_TYPES = [SCIM_CONTENT_TYPE, 'application/json'];

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 429 | 501 | 503;

const retryAfter: HeadersObject = {
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', example: 5 } },
};

const ERRORS: Record<ErrorStatus, { description: string; detail: string; scimType?: string; headers?: HeadersObject }> = {
  400: {
    description: 'The request is malformed or its content is wrong; scimType says which kind (RFC 7644 §3.12)',
    scimType: 'invalidValue',
    detail: "Attribute 'active' must be a boolean",
  },
  401: {
    description: 'The bearer token is missing, unknown, expired or revoked',
    detail: 'Missing or malformed bearer token: send "Authorization: Bearer <SCIM token>"',
    headers: {
      'WWW-Authenticate': {
        description: 'Bearer realm="scim", "admin", "introspection" or "api-key": the credential the route takes',
        schema: { type: 'string' },
      },
    },
  },
  403: {
    description: 'A filter on a discovery endpoint (RFC 7644 §4)',
    detail: 'The discovery endpoints do not support filter (RFC 7644 §4); request the whole list or one item by id',
  },
  404: { description: 'There is no resource with this id', detail: 'User 2819c223-7f76-453a-919d-413861904646 not found' },
  409: {
    description: 'uniqueness: the userName is taken (compared case-insensitively)',
    scimType: 'uniqueness',
    detail: "userName 'bjensen@example.com' is already taken (userName is unique, case-insensitively)",
  },
  412: {
    description: 'If-Match does not match the current version (meta.version): read the resource again and retry',
    detail: 'User 2819c223-7f76-453a-919d-413861904646 has changed (now W/"2"); fetch it again and retry',
  },
  413: {
    description: 'The body is larger than BODY_LIMIT, or the request has too many operations or members',
    detail: 'The request body is larger than the limit of 1mb (BODY_LIMIT)',
  },
  415: {
    description: 'The body is not application/scim+json or application/json, or not UTF-8',
    detail: 'Send the request body as application/scim+json or application/json (got text/plain)',
  },
  429: {
    description:
      'Too many requests: more than AUTH_FAILURES_PER_MINUTE failed authentications from this address, or on SCIM routes more than ' +
      'SCIM_REQUESTS_PER_MINUTE requests with this SCIM token; wait for the seconds in Retry-After',
    detail: 'Too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE is 30); retry after the time in Retry-After',
    headers: retryAfter,
  },
  501: { description: 'Not implemented', detail: "/Me is not implemented: this server's SCIM clients are provisioning systems (…)" },
  503: {
    description: 'The database is unavailable or too slow right now: retry after the seconds in Retry-After',
    detail: 'The database is unavailable; retry after the time in Retry-After',
    headers: retryAfter,
  },
};

/**
 * SCIM error responses (RFC 7644 §3.12 body) for these statuses; a [status, description] pair says what the status
 * means for this operation.
 */
export const ApiScimErrors = (...statuses: (ErrorStatus | [ErrorStatus, string])[]) =>
  applyDecorators(
    ...statuses.map((s) => {
      const [status, description] = Array.isArray(s) ? s : [s, undefined];
      const e = ERRORS[status];
      return ApiResponse({
        status,
        type: ScimErrorDto,
        description: description ?? e.description,
        headers: e.headers,
        example: { schemas: [URN.Error], status: String(status), ...(e.scimType && { scimType: e.scimType }), detail: e.detail },
      });
    }),
  );

/** The response headers of a response carrying a resource version, and of a 201. */
export const ETAG_HEADER: HeadersObject = {
  ETag: {
    description: 'The version of the resource (its meta.version), such as W/"3": send it as If-Match or If-None-Match',
    schema: { type: 'string', example: 'W/"1"' },
  },
};
export const CREATED_HEADERS: HeadersObject = {
  ...ETAG_HEADER,
  Location: { description: 'The URL of the new resource (its meta.location)', schema: { type: 'string', format: 'uri' } },
};

/** If-Match on a write: it happens only while the resource is at that version, else 412. */
export const ApiIfMatch = () =>
  ApiHeader({
    name: 'If-Match',
    required: false,
    description:
      'Optional. Write only if the resource is still at this version (its ETag, such as W/"1"; the W/ is optional; * matches any version), else 412',
  });

/** If-None-Match on a read: 304 with no body while the resource is at that version. */
export const ApiIfNoneMatch = () =>
  ApiHeader({
    name: 'If-None-Match',
    required: false,
    description: 'Optional. The ETag you have (such as W/"1"): the answer is 304 Not Modified, with no body, while it is current',
  });

/** A SCIM controller: the SCIM token, SCIM media types, and the errors any SCIM request can meet. */
export const ApiScim = () =>
  applyDecorators(ApiBearerAuth('scim'), ApiConsumes(...SCIM_REQUEST_TYPES), ApiProduces(SCIM_CONTENT_TYPE), ApiScimErrors(401, 429, 503));

/** An admin controller: the admin API key, and the errors any admin request can meet (SCIM error bodies as application/json). */
export const ApiAdmin = () =>
  applyDecorators(
    ApiBearerAuth('admin'),
    ApiScimErrors([401, 'The admin API key is missing or wrong (WWW-Authenticate: Bearer realm="admin")'], 429, 503),
  );

/**
 * OpenAPI links (Swagger UI lists them under a response): the operations that take the "id" of this answer as their
 * path parameter `param`, for an id that another path needs, such as a user's for its API keys.
 */
export const idLinks = (param: string, ...operationIds: string[]): LinksObject =>
  Object.fromEntries(
    operationIds.map((operationId) => [
      operationId,
      {
        operationId,
        parameters: { [param]: '$response.body#/id' },
        description: `The "id" of this answer is the ${param} of ${operationId}`,
      },
    ]),
  );
