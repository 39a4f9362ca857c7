import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { ProjectionQuery } from '../scim';
import { scimBaseUrl } from './base-url';

/** What a SCIM operation needs from the request besides its body: base URL, projection, If-Match. */
export interface ScimContext extends ProjectionQuery {
  baseUrl: string;
  ifMatch?: string;
}

const strings = (v: unknown): string | string[] | undefined =>
  typeof v === 'string' ? v : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;

export const ScimCtx = createParamDecorator((_: unknown, context: ExecutionContext): ScimContext => {
  const req = context.switchToHttp().getRequest<FastifyRequest<{ Querystring: Record<string, unknown> }>>();
  return {
    baseUrl: scimBaseUrl(req),
    attributes: strings(req.query.attributes),
    excludedAttributes: strings(req.query.excludedAttributes),
    ifMatch: req.headers['if-match'],
  };
});
