import { ConfigError, loadConfig, serverBaseUrl, sizeInBytes } from './env';

describe(loadConfig.name, () => {
  it('applies defaults for development', () => {
    expect(loadConfig({})).toMatchObject({
      production: false,
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      embeddedPgPort: 54329,
      adminApiKey: undefined,
      logLevel: 'info',
      logFormat: undefined,
      scimMaxResults: 200,
      bodyLimit: '1mb',
      bulkMaxOperations: 1000,
      bulkMaxPayload: '4mb',
      migrationsRun: true,
      databasePreparedStatements: true,
      publicBaseUrl: undefined,
      adminGroup: undefined,
      introspectionSecret: undefined,
      auditLog: true,
      auditRetentionDays: 365,
    });
  });

  it('reads typed values', () => {
    const c = loadConfig({
      PORT: '8080',
      MIGRATIONS_RUN: 'false',
      PUBLIC_BASE_URL: 'https://scim.example.com/',
      DATA_DIR: '/var/lib/scim',
      DATABASE_PREPARED_STATEMENTS: '0',
      LOG_FORMAT: 'json',
    });
    expect(c).toMatchObject({
      port: 8080,
      migrationsRun: false,
      publicBaseUrl: 'https://scim.example.com',
      dataDir: '/var/lib/scim',
      databasePreparedStatements: false,
      logFormat: 'json',
    });
  });

  it.each([
    [{ PORT: 'abc' }, /^Invalid configuration: PORT must be an integer from 1 to 65535 \(got "abc"\)$/],
    [{ PORT: '70000' }, /PORT must be an integer from 1 to 65535/],
    [{ EMBEDDED_PG_PORT: '5432' }, /EMBEDDED_PG_PORT must not be 5432/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/],
    [{ LOG_FORMAT: 'text' }, /^Invalid configuration: LOG_FORMAT must be one of json, pretty \(got "text"\)$/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgres:\/\//],
    [{ ADMIN_API_KEY: 'short' }, /ADMIN_API_KEY must be at least 32 characters/],
    [{ SCIM_MAX_RESULTS: '0' }, /SCIM_MAX_RESULTS must be an integer from 1 to 10000/],
    [{ BODY_LIMIT: 'lots' }, /BODY_LIMIT must be a size such as 512kb or 1mb/],
    [{ BULK_MAX_OPERATIONS: '0' }, /BULK_MAX_OPERATIONS must be an integer from 1 to 10000/],
    [{ BULK_MAX_PAYLOAD: '4 MB' }, /BULK_MAX_PAYLOAD must be a size such as 512kb or 4mb/],
    [{ MIGRATIONS_RUN: 'maybe' }, /MIGRATIONS_RUN must be true or false/],
    [{ DATABASE_PREPARED_STATEMENTS: 'sometimes' }, /DATABASE_PREPARED_STATEMENTS must be true or false/],
    [{ PUBLIC_BASE_URL: 'scim.example.com' }, /PUBLIC_BASE_URL must be an http\(s\) URL/],
    [{ NODE_ENV: 'prod' }, /NODE_ENV must be one of development, production, test/],
    [{ INTROSPECTION_SECRET: 'short' }, /INTROSPECTION_SECRET must be at least 32 characters/],
    [{ AUDIT_RETENTION_DAYS: '0' }, /AUDIT_RETENTION_DAYS must be an integer from 1 to 36500/],
    [{ AUDIT_LOG: 'perhaps' }, /AUDIT_LOG must be true or false/],
    [{ SCIM_ADMIN_GROUP: ' Admins' }, /SCIM_ADMIN_GROUP must be the displayName or the id of a team/],
    [
      { SCIM_ADMIN_GROUP: 'Admins', USER_ROLES: 'owner,viewer' },
      /SCIM_ADMIN_GROUP gives its members the role admin, so USER_ROLES must include it/,
    ],
  ])('rejects %j naming the variable and what is allowed', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('requires DATABASE_URL and ADMIN_API_KEY in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', ADMIN_API_KEY: 'k'.repeat(32) })).toThrow(
      'Invalid configuration: DATABASE_URL is required when NODE_ENV=production',
    );
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/scim' })).toThrow(
      'Invalid configuration: ADMIN_API_KEY is required when NODE_ENV=production',
    );
    expect(loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/scim', ADMIN_API_KEY: 'k'.repeat(32) })).toMatchObject({
      production: true,
      host: '0.0.0.0',
    });
  });
});

describe(sizeInBytes.name, () => {
  it.each([
    ['512b', 512],
    ['2kb', 2048],
    ['4MB', 4 * 1024 * 1024],
  ])('reads %s as %d bytes', (size, bytes) => {
    expect(sizeInBytes(size)).toBe(bytes);
  });
});

describe(serverBaseUrl.name, () => {
  it.each([
    [{}, 'http://127.0.0.1:3000'],
    [{ PORT: '8080', HOST: '0.0.0.0' }, 'http://localhost:8080'],
    [{ HOST: '::1' }, 'http://[::1]:3000'],
    [{ PUBLIC_BASE_URL: 'https://scim.example.com/' }, 'https://scim.example.com'],
  ])('is where clients reach the server with %j', (env, url) => {
    expect(serverBaseUrl(loadConfig(env))).toBe(url);
  });
});
