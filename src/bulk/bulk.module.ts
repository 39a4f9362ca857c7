import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { GroupsModule } from '../groups/groups.module';
import { UsersModule } from '../users/users.module';
import { BulkController } from './bulk.controller';
import { BulkService } from './bulk.service';

/** /Bulk runs its operations through the Users and Groups services, so it owns no data of its own. */
@Module({ imports: [AuthModule, UsersModule, GroupsModule], controllers: [BulkController], providers: [BulkService] })
export class BulkModule {}
