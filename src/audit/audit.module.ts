import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditRecordEntity } from './audit-record.entity';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AUDIT_OPTIONS, AuditOptions, AuditService } from './audit.service';

/**
 * The audit log: the server records requests and runs retention; the CLI records its own actions. Global, so that a
 * service recording more than its request (Bulk, one record per operation) can inject AuditService.
 */
@Module({})
export class AuditModule {
  static forRoot(options: AuditOptions): DynamicModule {
    return {
      module: AuditModule,
      global: true,
      imports: [TypeOrmModule.forFeature([AuditRecordEntity])],
      controllers: [AuditController],
      providers: [AuditRepository, AuditService, { provide: AUDIT_OPTIONS, useValue: options }],
      exports: [AuditService],
    };
  }
}
