import { Params } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import pino, { DestinationStream, Logger } from 'pino';
import { AppConfig } from '../config/env';
import { resolvePath, resourceTypes, sameName, type ScimError } from '../scim';

/** A rejected request's scimType and detail (never its body), so an IdP's quarantine can be traced from the log. */
const scimErrors = new WeakMap<IncomingMessage, { scimType?: string; detail: string }>();
export const noteScimError = (req: IncomingMessage, e: ScimError) => scimErrors.set(req, { scimType: e.scimType, detail: e.detail });
/** The scimType of the error the request was answered with, if it had one. */
export const scimTypeOf = (req: IncomingMessage): string | undefined => scimErrors.get(req)?.scimType;

const QUOTED = /'([^']*)'|"((?:[^"\\]|\\.)*)"/g;
/** Quoted words a detail may keep: attribute paths and schema URNs, which say what was wrong without whose data it was. */
const isName = (s: string) =>
  resourceTypes.some(
    (rt) => resolvePath(rt, s) !== undefined || [rt.schema, ...rt.schemaExtensions.map((e) => e.schema)].some((x) => sameName(x.id, s)),
  );

/**
 * A detail as logged: quoted values (a taken userName, a rejected value, a filter literal) become '…', quoted attribute
 * names stay. The client still gets the whole detail; LOG_PERSONAL_DATA=true logs it whole too, for debugging.
 */
export const loggedDetail = (detail: string): string =>
  detail.replace(QUOTED, (whole: string, single: string | undefined, double: string | undefined) =>
    isName(single ?? double ?? '') ? whole : single !== undefined ? "'…'" : '"…"',
  );

export const scimErrorOf = (req: IncomingMessage, personalData: boolean) => {
  const e = scimErrors.get(req);
  return e === undefined ? {} : { scimType: e.scimType, detail: personalData ? e.detail : loggedDetail(e.detail) };
};

/** The one pino logger: JSON lines at LOG_LEVEL, secrets redacted, bodies never logged (personal data). */
export const createLogger = (config: Pick<AppConfig, 'logLevel'>, destination?: DestinationStream): Logger =>
  pino(
    {
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', '*.password', '*.token', '*.adminApiKey'], censor: '[redacted]' },
    },
    destination,
  );

/** nestjs-pino on the logger the request log already uses; the request log binds each request's child logger. */
export const loggerParams = (logger: Logger): Params => ({ pinoHttp: { logger }, useExisting: true, forRoutes: [] });
