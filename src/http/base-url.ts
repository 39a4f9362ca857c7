import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    /** PUBLIC_BASE_URL, for code that only has the request. */
    scimPublicBaseUrl: string | undefined;
  }
}

export const registerPublicBaseUrl = (app: FastifyInstance, url: string | undefined) => app.decorate('scimPublicBaseUrl', url);

/** Absolute base of SCIM URLs: PUBLIC_BASE_URL behind a proxy, else what the client called. */
export const scimBaseUrl = (req: FastifyRequest): string =>
  `${req.server.scimPublicBaseUrl ?? `${req.protocol}://${req.host || 'localhost'}`}/scim/v2`;
