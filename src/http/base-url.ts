import { Request } from 'express';
import { AppConfig } from '../config/env';

/** Absolute base of SCIM URLs: PUBLIC_BASE_URL behind a proxy, else what the client called. */
export const scimBaseUrl = (req: Request, config: AppConfig): string =>
  `${config.publicBaseUrl ?? `${req.protocol}://${req.get('host') ?? `localhost:${config.port}`}`}/scim/v2`;
