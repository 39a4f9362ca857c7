import type { Request } from 'express';

/** Where configureApp keeps PUBLIC_BASE_URL on the Express app, for code that only has the request. */
export const PUBLIC_BASE_URL_SETTING = 'scim public base url';

/** Absolute base of SCIM URLs: PUBLIC_BASE_URL behind a proxy, else what the client called. */
export const scimBaseUrl = (req: Request): string =>
  `${(req.app.get(PUBLIC_BASE_URL_SETTING) as string | undefined) ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`}/scim/v2`;
