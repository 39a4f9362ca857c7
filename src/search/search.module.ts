import { Module } from '@nestjs/common';
import { GroupsModule } from '../groups/groups.module';
import { UsersModule } from '../users/users.module';
import { RootSearchController } from './root-search.controller';
import { RootSearchService } from './root-search.service';

@Module({ imports: [UsersModule, GroupsModule], controllers: [RootSearchController], providers: [RootSearchService] })
export class SearchModule {}
