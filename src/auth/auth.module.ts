import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminKeyService } from './admin-key.service';
import { AuthGuard } from './auth.guard';
import { RateLimits } from './rate-limits';
import { ScimBearerStrategy } from './scim-bearer.strategy';
import { ScimTokenEntity } from './scim-token.entity';
import { ScimTokensController } from './scim-tokens.controller';
import { ScimTokensRepository } from './scim-tokens.repository';
import { ScimTokensService } from './scim-tokens.service';

@Module({
  imports: [PassportModule, TypeOrmModule.forFeature([ScimTokenEntity])],
  controllers: [ScimTokensController],
  providers: [
    ScimTokensRepository,
    ScimTokensService,
    ScimBearerStrategy,
    AdminKeyService,
    RateLimits,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [ScimTokensService, RateLimits],
})
export class AuthModule {}
