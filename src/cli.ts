import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import 'reflect-metadata';
import { AuthModule } from './auth/auth.module';
import { ScimTokensService } from './auth/scim-tokens.service';
import { AppConfigModule } from './config/config.module';
import { AppConfig, loadConfig, serverBaseUrl } from './config/env';
import { DatabaseModule } from './database/database.module';
import { openDatabase } from './database/embedded-postgres';

const USAGE = `Usage:
  npm run cli -- token create --name NAME [--expires-in-days N]   prints the new token alone on the last line
  npm run cli -- token list
  npm run cli -- token revoke ID
  npm run cli -- env                                              prints BASE and ADMIN_KEY for: eval "$(npm run --silent cli -- env)"`;

@Module({})
class CliModule {
  static forRoot(config: AppConfig, url: string): DynamicModule {
    return { module: CliModule, imports: [AppConfigModule.forRoot(config), DatabaseModule.forRoot(config, url), AuthModule] };
  }
}

class UsageError extends Error {}

const out = (line: string) => process.stdout.write(`${line}\n`);
const day = (d: Date | null) => (d ? d.toISOString().replace(/\.\d+Z$/, 'Z') : '-');

async function run(tokens: ScimTokensService, args: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { name: { type: 'string' }, 'expires-in-days': { type: 'string' } },
  });
  const [group, command, id] = positionals;
  if (group !== 'token') {
    throw new UsageError(`Unknown command: ${positionals.join(' ') || '(none)'}`);
  }
  switch (command) {
    case 'create': {
      if (!values.name?.trim()) {
        throw new UsageError('token create needs --name NAME');
      }
      const days = values['expires-in-days'];
      if (days !== undefined && !/^\d+$/.test(days)) {
        throw new UsageError('--expires-in-days takes a whole number of days');
      }
      const t = await tokens.create(values.name.trim(), days === undefined ? undefined : Number(days));
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
    case 'revoke':
      if (!id) {
        throw new UsageError('token revoke needs the token ID (see token list)');
      }
      await tokens.revoke(id);
      out(`Revoked SCIM token ${id}`);
      return;
    default:
      throw new UsageError(`Unknown token command: ${command ?? '(none)'}`);
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
      await run(app.get(ScimTokensService), args);
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
