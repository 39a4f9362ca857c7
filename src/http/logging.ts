import { LoggerService } from '@nestjs/common';
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

const pinoOptions = (config: Pick<AppConfig, 'logLevel'>) => ({
  level: config.logLevel,
  redact: { paths: ['req.headers.authorization', '*.password', '*.token', '*.adminApiKey'], censor: '[redacted]' },
});

/** A `request completed` line as one readable line: method, URL (as logged), status, time, who, and the SCIM error. */
function requestLine(log: Record<string, unknown>): string {
  const req = (log.req ?? {}) as { method?: string; url?: string };
  const res = (log.res ?? {}) as { statusCode?: number };
  const token = log.scimToken as { name?: string } | undefined;
  const who = token ? ` (token "${token.name}")` : log.admin === true ? ' (admin key)' : '';
  const error = log.scimType || log.detail ? ` ${[log.scimType, log.detail].filter(Boolean).join(': ')}` : '';
  return `${req.method} ${req.url} ${res.statusCode} in ${String(log.responseTime)} ms${who}${error}${log.aborted ? ' (client hung up)' : ''}`;
}

/** What the pretty format leaves out of the fields it prints under a line (they are in the line already, or noise). */
const PRETTY_IGNORE = 'pid,hostname,context,reqId,req,res,responseTime,scimToken,admin,scimType,detail,aborted';

/** Log lines for people, on a terminal: one line per entry, `[context] message`, and a request as `GET /… 200 in 3 ms`. */
const prettyStream = () =>
  // Loaded only when used: a server logging JSON (production) does not pay for it at start-up.
  (require('pino-pretty') as typeof import('pino-pretty'))({
    sync: true, // the server exits right after its last line
    colorize: Boolean(process.stdout.isTTY),
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: PRETTY_IGNORE,
    singleLine: true,
    messageFormat: (log, messageKey) =>
      log[messageKey] === 'request completed'
        ? requestLine(log)
        : `${typeof log.context === 'string' ? `[${log.context}] ` : ''}${String(log[messageKey] ?? '')}`,
  });

/**
 * The one pino logger at LOG_LEVEL, secrets redacted, bodies never logged (personal data). LOG_FORMAT picks JSON lines
 * (one object per line, for log collectors) or pino-pretty's readable lines; unset, it is pretty on a terminal and JSON
 * otherwise. A `destination` (tests) always gets JSON.
 */
export function createLogger(config: Pick<AppConfig, 'logLevel' | 'logFormat'>, destination?: DestinationStream): Logger {
  if (destination) {
    return pino(pinoOptions(config), destination);
  }
  const format = config.logFormat ?? (process.stdout.isTTY ? 'pretty' : 'json');
  return format === 'pretty' ? pino(pinoOptions(config), prettyStream()) : pino(pinoOptions(config));
}

/** Nest's start-up chatter: a line per module, controller and route, and "successfully started". */
const BOOT_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

/** Nest's logger with its start-up chatter at debug instead of info; everything else is passed on as it is. */
export class QuietStartLogger implements LoggerService {
  constructor(private readonly inner: LoggerService) {}

  log(message: unknown, ...params: unknown[]): void {
    const context = params[params.length - 1];
    if (typeof context === 'string' && BOOT_CONTEXTS.has(context)) {
      this.inner.debug?.(message, ...params);
    } else {
      this.inner.log(message, ...params);
    }
  }
  error(message: unknown, ...params: unknown[]): void {
    this.inner.error(message, ...params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.inner.warn(message, ...params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.inner.debug?.(message, ...params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.inner.verbose?.(message, ...params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.inner.fatal?.(message, ...params);
  }
}

/** nestjs-pino on the logger the request log already uses; the request log binds each request's child logger. */
export const loggerParams = (logger: Logger): Params => ({ pinoHttp: { logger }, useExisting: true, forRoutes: [] });
