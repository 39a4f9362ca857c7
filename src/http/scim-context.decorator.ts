import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { ProjectionQuery } from '../scim';
import { requestInfo } from './request-info';

/** What a SCIM operation needs from the request besides its body: base URL, projection, If-Match. */
export interface ScimContext extends ProjectionQuery {
  baseUrl: string;
  ifMatch?: string;
}

const strings = (v: unknown): string | string[] | undefined =>
  typeof v === 'string' ? v : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;

export const ScimCtx = createParamDecorator((_: unknown, context: ExecutionContext): ScimContext => {
  // Every Nest platform parses the query string into `query`.
  const req = context.switchToHttp().getRequest<IncomingMessage & { query: Record<string, unknown> }>();
  return {
    baseUrl: requestInfo(req).baseUrl,
    attributes: strings(req.query.attributes),
    excludedAttributes: strings(req.query.excludedAttributes),
    ifMatch: req.headers['if-match'],
  };
});
