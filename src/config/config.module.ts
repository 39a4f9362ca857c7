import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_CONFIG, AppConfig } from './env';

/**
 * The validated configuration, loaded once by the entry point (main, CLI, tests) and provided as APP_CONFIG.
 * @nestjs/config holds it so that the usual ConfigService works too; nothing reads process.env after loadConfig().
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ app: config })] })],
      providers: [{ provide: APP_CONFIG, inject: [ConfigService], useFactory: (c: ConfigService) => c.getOrThrow<AppConfig>('app') }],
      exports: [APP_CONFIG],
    };
  }
}
