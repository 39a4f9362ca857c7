import { DynamicModule, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import 'reflect-metadata';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { ApiKeysService } from './api-keys/api-keys.service';
import { currentActor } from './audit/audit-context';
import { AuditModule } from './audit/audit.module';
import { AuditService } from './audit/audit.service';
import { AuthModule } from './auth/auth.module';
import { ScimTokensService } from './auth/scim-tokens.service';
import { AppConfigModule } from './config/config.module';
import { AppConfig, loadConfig, serverBaseUrl } from './config/env';
import { DatabaseModule } from './database/database.module';
import { openDatabase } from './database/embedded-postgres';
import type { ChangeNote } from './http/request-info';
import { ScimError } from './scim';

const USAGE = `Usage:
  npm run cli -- token create --name NAME [--expires-in-days N]              prints the new token alone on the last line
  npm run cli -- token list
  npm run cli -- token revoke ID
  npm run cli -- key create --user USER --name NAME [--expires-in-days N]    prints the new API key alone on the last line
  npm run cli -- key list --user USER
  npm run cli -- key revoke KEY_ID
  npm run cli -- env                                                         prints BASE and ADMIN_KEY for: eval "$(npm run --silent cli -- env)"
USER is the user's SCIM id or its userName.`;

@Module({})
class CliModule {
  static forRoot(config: AppConfig, url: string): DynamicModule {
    return {
      module: CliModule,
      imports: [
        AppConfigModule.forRoot(config),
        DatabaseModule.forRoot(config, url),
        AuditModule.forRoot({ retention: false }),
        AuthModule,
        ApiKeysModule,
      ],
    };
  }
}

class UsageError extends Error {}

const out = (line: string) => process.stdout.write(`${line}\n`);
const day = (d: Date | null) => (d ? d.toISOString().replace(/\.\d+Z$/, 'Z') : '-');

interface Args {
  command: string | undefined;
  id: string | undefined;
  name: string | undefined;
  user: string | undefined;
  days: number | undefined;
}

function parse(args: string[]): { group: string | undefined; args: Args } {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { name: { type: 'string' }, user: { type: 'string' }, 'expires-in-days': { type: 'string' } },
  });
  const [group, command, id] = positionals;
  const days = values['expires-in-days'];
  if (days !== undefined && !/^\d+$/.test(days)) {
    throw new UsageError('--expires-in-days takes a whole number of days');
  }
  return {
    group,
    args: { command, id, name: values.name?.trim(), user: values.user?.trim(), days: days === undefined ? undefined : Number(days) },
  };
}

/** Runs a CLI action and writes its audit record (actor `cli`, the OS user), failed or not. */
async function audited<T>(audit: AuditService, command: string, change: (r: T) => ChangeNote, failed: ChangeNote, work: () => Promise<T>) {
  let result: T;
  try {
    result = await work();
  } catch (e) {
    await audit.recordCli(currentActor(), command, failed, e instanceof ScimError ? e.status : 500);
    throw e;
  }
  await audit.recordCli(currentActor(), command, change(result));
  return result;
}

async function token(app: INestApplicationContext, { command, id, name, days }: Args): Promise<void> {
  const tokens = app.get(ScimTokensService);
  const audit = app.get(AuditService);
  switch (command) {
    case 'create': {
      if (!name) {
        throw new UsageError('token create needs --name NAME');
      }
      const t = await audited(
        audit,
        'token create',
        (r) => ({ resourceType: 'ScimToken', resourceId: r.id, summary: { op: 'create', name, expiresAt: r.expiresAt } }),
        { resourceType: 'ScimToken' },
        () => tokens.create(name, days),
      );
      out(`Created SCIM token "${t.name}" (id ${t.id}, expires ${day(t.expiresAt)}). It is shown only once:`);
      out(t.token);
      return;
    }
    case 'list': {
      const list = await tokens.list();
      out(['ID', 'NAME', 'PREFIX', 'CREATED', 'EXPIRES', 'LAST USED', 'STATUS'].join('\t'));
      const now = Date.now();
      for (const t of list) {
        const status = t.revokedAt ? 'revoked' : t.expiresAt && t.expiresAt.getTime() <= now ? 'expired' : 'active';
        out([t.id, t.name, t.prefix, day(t.createdAt), day(t.expiresAt), day(t.lastUsedAt), status].join('\t'));
      }
      return;
    }
    case 'revoke': {
      if (!id) {
        throw new UsageError('token revoke needs the token ID (see token list)');
      }
      const change = { resourceType: 'ScimToken', resourceId: id, summary: { op: 'revoke' } };
      await audited(
        audit,
        'token revoke',
        () => change,
        change,
        () => tokens.revoke(id),
      );
      out(`Revoked SCIM token ${id}`);
      return;
    }
    default:
      throw new UsageError(`Unknown token command: ${command ?? '(none)'}`);
  }
}

async function key(app: INestApplicationContext, { command, id, name, user, days }: Args): Promise<void> {
  const keys = app.get(ApiKeysService);
  const audit = app.get(AuditService);
  switch (command) {
    case 'create': {
      if (!user || !name) {
        throw new UsageError('key create needs --user USER and --name NAME');
      }
      const userId = await keys.userIdOf(user);
      const k = await audited(
        audit,
        'key create',
        (r) => ({ resourceType: 'ApiKey', resourceId: r.id, summary: { op: 'create', userId, name, expiresAt: r.expiresAt } }),
        { resourceType: 'ApiKey', summary: { op: 'create', userId } },
        () => keys.create(userId, name, days),
      );
      out(`Created API key "${k.name}" for user ${userId} (id ${k.id}, expires ${day(k.expiresAt)}). It is shown only once:`);
      out(k.key);
      return;
    }
    case 'list': {
      if (!user) {
        throw new UsageError('key list needs --user USER');
      }
      const list = await keys.list(await keys.userIdOf(user));
      out(['ID', 'NAME', 'PREFIX', 'CREATED', 'EXPIRES', 'LAST USED', 'STATUS'].join('\t'));
      for (const k of list) {
        out([k.id, k.name, k.prefix, day(k.createdAt), day(k.expiresAt), day(k.lastUsedAt), k.status].join('\t'));
      }
      return;
    }
    case 'revoke': {
      if (!id) {
        throw new UsageError('key revoke needs the key ID (see key list)');
      }
      const change = { resourceType: 'ApiKey', resourceId: id, summary: { op: 'revoke' } };
      await audited(
        audit,
        'key revoke',
        () => change,
        change,
        () => keys.revoke(id),
      );
      out(`Revoked API key ${id}`);
      return;
    }
    default:
      throw new UsageError(`Unknown key command: ${command ?? '(none)'}`);
  }
}

async function run(app: INestApplicationContext, argv: string[]): Promise<void> {
  const { group, args } = parse(argv);
  switch (group) {
    case 'token':
      return token(app, args);
    case 'key':
      return key(app, args);
    default:
      throw new UsageError(`Unknown command: ${argv.join(' ') || '(none)'}`);
  }
}

/** A value in single quotes, for a POSIX shell. */
const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/**
 * `env`: the server's address and admin key as shell assignments, from the same configuration the server reads, so
 * that the README's examples work whatever PORT, PUBLIC_BASE_URL or DATA_DIR say. Needs no database.
 */
function printEnv(config: AppConfig): void {
  out(`# The server's address and admin key, from its configuration; in a shell: eval "$(npm run --silent cli -- env)"`);
  out(`BASE=${shellQuote(serverBaseUrl(config))}`);
  const file = join(config.dataDir, 'admin-key');
  if (config.adminApiKey) {
    out(`ADMIN_KEY=${shellQuote(config.adminApiKey)}`);
  } else if (existsSync(file)) {
    out(`ADMIN_KEY=${shellQuote(readFileSync(file, 'utf8').trim())}`);
  } else {
    out(`# No ADMIN_KEY yet: ADMIN_API_KEY is unset and ${file} does not exist; start the server once to generate it`);
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.length === 0 || args.includes('--help')) {
    out(USAGE);
    return args.length === 0 ? 2 : 0;
  }
  const config = loadConfig();
  if (args[0] === 'env' && args.length === 1) {
    printEnv(config);
    return 0;
  }
  const db = await openDatabase(config, (m) => process.stderr.write(`${m}\n`), { share: true });
  try {
    const app = await NestFactory.createApplicationContext(CliModule.forRoot(config, db.url), { logger: false, abortOnError: false });
    try {
      await run(app, args);
    } finally {
      await app.close();
    }
  } finally {
    await db.stop();
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n${e instanceof UsageError ? `${USAGE}\n` : ''}`);
    process.exit(e instanceof UsageError ? 2 : 1);
  },
);
