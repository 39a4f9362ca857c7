import { LoggerService } from '@nestjs/common';
import { QuietStartLogger } from './logging';

describe(QuietStartLogger.name, () => {
  const calls: [string, unknown[]][] = [];
  const record =
    (level: string) =>
    (...args: unknown[]) =>
      calls.push([level, args]);
  const inner: LoggerService = { log: record('log'), error: record('error'), warn: record('warn'), debug: record('debug') };

  beforeEach(() => (calls.length = 0));

  it("moves Nest's start-up lines (modules, routes, started) to debug", () => {
    const logger = new QuietStartLogger(inner);
    logger.log('AppModule dependencies initialized', 'InstanceLoader');
    logger.log('Mapped {/scim/v2/Users, GET} route', 'RouterExplorer');
    logger.log('Nest application successfully started', 'NestApplication');
    expect(calls.map(([level]) => level)).toEqual(['debug', 'debug', 'debug']);
  });

  it('passes every other line on at its own level', () => {
    const logger = new QuietStartLogger(inner);
    logger.log({ id: 'x' }, 'user created', 'UsersService');
    logger.warn('careful', 'Database');
    logger.error('broken', 'stack', 'InstanceLoader');
    expect(calls).toEqual([
      ['log', [{ id: 'x' }, 'user created', 'UsersService']],
      ['warn', ['careful', 'Database']],
      ['error', ['broken', 'stack', 'InstanceLoader']],
    ]);
  });
});
