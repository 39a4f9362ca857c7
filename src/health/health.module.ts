import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { ServiceInfoController } from './service-info.controller';

@Module({ imports: [TerminusModule.forRoot({ logger: false })], controllers: [HealthController, ServiceInfoController] })
export class HealthModule {}
