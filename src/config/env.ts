import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  NotEquals,
  validateSync,
} from 'class-validator';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];
const LOG_FORMATS = ['json', 'pretty'] as const;
type LogFormat = (typeof LOG_FORMATS)[number];

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value);
const toBool = ({ value }: { value: unknown }) => {
  const v = typeof value === 'string' ? value.trim().toLowerCase() : value;
  return v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : value;
};

/** An optional integer variable, read from its text, within [min, max]; one message says what is allowed. */
function OptionalInt(min: number, max: number, note = ''): PropertyDecorator {
  const message = `must be an integer from ${min} to ${max}${note}`;
  return (target, key) =>
    [IsOptional(), Transform(toInt), IsInt({ message }), Min(min, { message }), Max(max, { message })].forEach((d) => d(target, key));
}

/** An optional true/false (or 1/0) variable, in any case. */
function OptionalBool(): PropertyDecorator {
  return (target, key) => [IsOptional(), Transform(toBool), IsBoolean({ message: 'must be true or false' })].forEach((d) => d(target, key));
}

/** The environment as it arrives: every variable the server reads, with what is allowed (README "Configuration"). */
class Env {
  @IsOptional()
  @IsIn(['development', 'production', 'test'], { message: 'must be one of development, production, test' })
  NODE_ENV?: string;

  @OptionalInt(1, 65535)
  PORT?: number;

  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'must be a host name or IP address to listen on' })
  HOST?: string;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// or postgresql:// connection URL' })
  DATABASE_URL?: string;

  @OptionalInt(1, 100)
  DATABASE_POOL_SIZE?: number;

  @OptionalBool()
  DATABASE_PREPARED_STATEMENTS?: boolean;

  @OptionalInt(100, 600_000)
  DATABASE_STATEMENT_TIMEOUT_MS?: number;

  @OptionalInt(100, 60_000)
  DATABASE_ACQUIRE_TIMEOUT_MS?: number;

  @OptionalInt(1000, 600_000)
  HTTP_RECEIVE_TIMEOUT_MS?: number;

  @OptionalInt(1000, 600_000)
  HTTP_ANSWER_TIMEOUT_MS?: number;

  @OptionalInt(0, 1_000_000)
  AUTH_FAILURES_PER_MINUTE?: number;

  @OptionalInt(0, 10_000_000)
  SCIM_REQUESTS_PER_MINUTE?: number;

  @OptionalBool()
  TRUST_PROXY?: boolean;

  @OptionalBool()
  SCIM_USER_GROUPS_WRITABLE?: boolean;

  @OptionalInt(1024, 65535, ' (never 5432)')
  @NotEquals(5432, { message: 'must not be 5432, the port of a system PostgreSQL' })
  EMBEDDED_PG_PORT?: number;

  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'must be a directory path' })
  DATA_DIR?: string;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters (generate one with: openssl rand -base64 32)' })
  ADMIN_API_KEY?: string;

  @IsOptional()
  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL?: LogLevel;

  @IsOptional()
  @IsIn(LOG_FORMATS, { message: `must be one of ${LOG_FORMATS.join(', ')}` })
  LOG_FORMAT?: LogFormat;

  @OptionalBool()
  LOG_PERSONAL_DATA?: boolean;

  @OptionalInt(1, 10000)
  SCIM_MAX_RESULTS?: number;

  @IsOptional()
  @Matches(/^\d+(b|kb|mb)$/i, { message: 'must be a size such as 512kb or 1mb' })
  BODY_LIMIT?: string;

  @OptionalInt(1, 10_000)
  BULK_MAX_OPERATIONS?: number;

  @IsOptional()
  @Matches(/^\d+(b|kb|mb)$/i, { message: 'must be a size such as 512kb or 4mb' })
  BULK_MAX_PAYLOAD?: string;

  @OptionalBool()
  MIGRATIONS_RUN?: boolean;

  @IsOptional()
  @Matches(/^\s*[a-z][a-z0-9_-]*(\s*,\s*[a-z][a-z0-9_-]*)*\s*$/i, {
    message: 'must be a comma-separated list of role names such as admin,member,viewer',
  })
  USER_ROLES?: string;

  @IsOptional()
  @Matches(/^[a-z][a-z0-9_-]*$/i, { message: 'must be one role name from USER_ROLES' })
  DEFAULT_USER_ROLE?: string;

  @IsOptional()
  @IsIn(['ignore', 'reject'], { message: 'must be ignore or reject' })
  SCIM_UNKNOWN_MEMBERS?: 'ignore' | 'reject';

  @IsOptional()
  @IsString()
  @Matches(/^\S(.*\S)?$/, { message: 'must be the displayName or the id of a team (no surrounding spaces)' })
  SCIM_ADMIN_GROUP?: string;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters (generate one with: openssl rand -base64 32)' })
  INTROSPECTION_SECRET?: string;

  @OptionalBool()
  AUDIT_LOG?: boolean;

  @OptionalInt(1, 36500)
  AUDIT_RETENTION_DAYS?: number;

  @IsOptional()
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    { message: 'must be an http(s) URL such as https://scim.example.com' },
  )
  PUBLIC_BASE_URL?: string;
}

export interface AppConfig {
  production: boolean;
  port: number;
  host: string;
  /** Unset: the server runs an embedded PostgreSQL under dataDir. */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /** Hot statements as named prepared statements; off behind a pooler that cannot keep them (PgBouncer transaction mode). */
  databasePreparedStatements: boolean;
  /** PostgreSQL's statement_timeout for the app's connections: a statement running longer is cancelled (503). */
  databaseStatementTimeoutMs: number;
  /** How long a request waits for a pooled connection (or a new one) before it gets a 503. */
  databaseAcquireTimeoutMs: number;
  /** How long a client may take to send a whole request, headers and body; a slower upload is cut off. */
  httpReceiveTimeoutMs: number;
  /** How long the server may take to start its answer; past it, the client gets a 503 with Retry-After. */
  httpAnswerTimeoutMs: number;
  /** Failed authentications per client address and minute, on all instances together, before 429 (0: no limit). */
  authFailuresPerMinute: number;
  /** SCIM requests per token and minute on each instance before 429 (0: no limit). */
  scimRequestsPerMinute: number;
  /** Behind a reverse proxy: the client address is the last X-Forwarded-For hop, not the proxy's. */
  trustProxy: boolean;
  /** PUT and PATCH of a User may set its teams through `groups` (RFC 7643 makes it readOnly; LiteLLM's clients write it). */
  userGroupsWritable: boolean;
  embeddedPgPort: number;
  dataDir: string;
  adminApiKey: string | undefined;
  logLevel: LogLevel;
  /** json: one JSON object per line; pretty: readable lines (pino-pretty); unset: pretty when stdout is a terminal. */
  logFormat: LogFormat | undefined;
  /** Log URLs and error details whole (filter values, taken userNames): for debugging only. */
  logPersonalData: boolean;
  scimMaxResults: number;
  bodyLimit: string;
  /** Operations one POST /Bulk may carry (RFC 7644 §3.7.4 maxOperations). */
  bulkMaxOperations: number;
  /** The body limit of POST /Bulk, in place of bodyLimit (RFC 7644 §3.7.4 maxPayloadSize); same form as bodyLimit. */
  bulkMaxPayload: string;
  migrationsRun: boolean;
  /** Base for meta.location and Location headers; unset: taken from the request's Host. */
  publicBaseUrl: string | undefined;
  /** The application roles a user can hold (lower case); the SCIM `roles` primary value picks one. */
  userRoles: readonly string[];
  defaultUserRole: string;
  /** Group members whose id is no known User or Group: skipped with a warning, or the request fails with 400. */
  unknownMembers: 'ignore' | 'reject';
  /** The team (displayName, compared case-insensitively, or id) whose direct members hold the role `admin`. */
  adminGroup: string | undefined;
  /** A bearer secret for POST /introspect besides the admin key, for the gateway that checks API keys. */
  introspectionSecret: string | undefined;
  /** Whether writes and admin actions are recorded in the audit log. */
  auditLog: boolean;
  /** Audit records older than this many days are deleted. */
  auditRetentionDays: number;
}

const UNIT_BYTES: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

/** A size as BODY_LIMIT and BULK_MAX_PAYLOAD write it (<n>b|kb|mb, validated at boot), in bytes. */
export const sizeInBytes = (size: string): number => {
  const [, n, unit] = /^(\d+)(b|kb|mb)$/i.exec(size) ?? [];
  return Number(n) * (UNIT_BYTES[unit?.toLowerCase() ?? 'b'] ?? 1);
};
/** The role that membership of SCIM_ADMIN_GROUP gives. */
export const ADMIN_ROLE = 'admin';

/** Where clients reach the server: PUBLIC_BASE_URL, else HOST and PORT (a wildcard HOST as localhost). */
export function serverBaseUrl(config: Pick<AppConfig, 'publicBaseUrl' | 'host' | 'port'>): string {
  if (config.publicBaseUrl) {
    return config.publicBaseUrl;
  }
  const host =
    config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host}:${config.port}`;
}

/** Injection token for the typed configuration. */
export const APP_CONFIG = Symbol('AppConfig');

export class ConfigError extends Error {}

/** Values from a .env file in the working directory; variables already in the environment win. */
function readDotEnv(): Record<string, string> {
  const file = resolve('.env');
  return existsSync(file) ? (parseEnv(readFileSync(file, 'utf8')) as Record<string, string>) : {};
}

/** Validates the environment once; throws ConfigError with one line naming the variable and what is allowed. */
export function loadConfig(source: NodeJS.ProcessEnv = { ...readDotEnv(), ...process.env }): AppConfig {
  const raw = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const env = plainToInstance(Env, raw);
  const [first] = validateSync(env, { forbidUnknownValues: false });
  if (first) {
    const message = Object.values(first.constraints ?? {})[0] ?? 'is invalid';
    throw new ConfigError(`Invalid configuration: ${first.property} ${message} (got ${JSON.stringify(raw[first.property])})`);
  }
  const production = env.NODE_ENV === 'production';
  if (production && !env.DATABASE_URL) {
    throw new ConfigError('Invalid configuration: DATABASE_URL is required when NODE_ENV=production');
  }
  if (production && !env.ADMIN_API_KEY) {
    throw new ConfigError('Invalid configuration: ADMIN_API_KEY is required when NODE_ENV=production');
  }
  const userRoles = [...new Set((env.USER_ROLES ?? 'admin,member,viewer').split(',').map((r) => r.trim().toLowerCase()))];
  const defaultUserRole = (env.DEFAULT_USER_ROLE ?? 'viewer').toLowerCase();
  if (!userRoles.includes(defaultUserRole)) {
    throw new ConfigError(
      `Invalid configuration: DEFAULT_USER_ROLE must be one of USER_ROLES (${userRoles.join(', ')}) (got "${defaultUserRole}")`,
    );
  }
  if (env.SCIM_ADMIN_GROUP !== undefined && !userRoles.includes(ADMIN_ROLE)) {
    throw new ConfigError(
      `Invalid configuration: SCIM_ADMIN_GROUP gives its members the role ${ADMIN_ROLE}, so USER_ROLES must include it (got "${userRoles.join(',')}")`,
    );
  }
  return {
    production,
    port: env.PORT ?? 3000,
    host: env.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE ?? 10,
    databasePreparedStatements: env.DATABASE_PREPARED_STATEMENTS ?? true,
    databaseStatementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS ?? 5000,
    databaseAcquireTimeoutMs: env.DATABASE_ACQUIRE_TIMEOUT_MS ?? 3000,
    httpReceiveTimeoutMs: env.HTTP_RECEIVE_TIMEOUT_MS ?? 15_000,
    httpAnswerTimeoutMs: env.HTTP_ANSWER_TIMEOUT_MS ?? 10_000,
    authFailuresPerMinute: env.AUTH_FAILURES_PER_MINUTE ?? 30,
    scimRequestsPerMinute: env.SCIM_REQUESTS_PER_MINUTE ?? 60_000,
    trustProxy: env.TRUST_PROXY ?? false,
    userGroupsWritable: env.SCIM_USER_GROUPS_WRITABLE ?? false,
    embeddedPgPort: env.EMBEDDED_PG_PORT ?? 54329,
    dataDir: resolve(env.DATA_DIR ?? '.data'),
    adminApiKey: env.ADMIN_API_KEY,
    logLevel: env.LOG_LEVEL ?? 'info',
    logFormat: env.LOG_FORMAT,
    logPersonalData: env.LOG_PERSONAL_DATA ?? false,
    scimMaxResults: env.SCIM_MAX_RESULTS ?? 200,
    bodyLimit: env.BODY_LIMIT ?? '1mb',
    bulkMaxOperations: env.BULK_MAX_OPERATIONS ?? 1000,
    bulkMaxPayload: env.BULK_MAX_PAYLOAD ?? '4mb',
    migrationsRun: env.MIGRATIONS_RUN ?? true,
    publicBaseUrl: env.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
    userRoles,
    defaultUserRole,
    unknownMembers: env.SCIM_UNKNOWN_MEMBERS ?? 'ignore',
    adminGroup: env.SCIM_ADMIN_GROUP,
    introspectionSecret: env.INTROSPECTION_SECRET,
    auditLog: env.AUDIT_LOG ?? true,
    auditRetentionDays: env.AUDIT_RETENTION_DAYS ?? 365,
  };
}
