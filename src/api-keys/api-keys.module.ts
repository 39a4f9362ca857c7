import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { KeyCheckController } from './key-check.controller';
import { KeyCheckService } from './key-check.service';

@Module({
  imports: [TypeOrmModule.forFeature([ApiKeyEntity])],
  controllers: [ApiKeysController, KeyCheckController],
  providers: [ApiKeysRepository, ApiKeysService, KeyCheckService],
  exports: [ApiKeysService],
})
export class ApiKeysModule {}
