import { Module } from '@nestjs/common';
import { DiscoveryController } from './discovery.controller';
import { DiscoveryService } from './discovery.service';
import { MeController } from './me.controller';

@Module({ controllers: [DiscoveryController, MeController], providers: [DiscoveryService] })
export class DiscoveryModule {}
