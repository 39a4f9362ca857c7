import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators';
import { ApiAdmin, ApiScimErrors } from '../http/api-docs';
import { AuditService } from './audit.service';
import { AuditQueryDto } from './dto/audit-query.dto';
import { AuditPageDto } from './dto/audit-record.dto';

@ApiTags('Admin: audit log')
@ApiAdmin()
@Auth('admin')
@Controller('admin/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({
    operationId: 'listAuditRecords',
    summary: 'Read the audit log',
    description:
      'One record per change (SCIM writes, each Bulk operation, token and key actions, CLI actions), newest first: who, when, ' +
      'which resource, the status and what changed by attribute name and count, never a value, a secret or a body. Filters ' +
      'combine with AND; Execute with none shows everything. Pass nextCursor as cursor for the next page. Records are kept for ' +
      'AUDIT_RETENTION_DAYS and written a moment after the answer, so a change may take a second to appear.',
  })
  @ApiResponse({ status: 200, type: AuditPageDto, description: 'A page of records, newest first' })
  @ApiScimErrors([400, 'invalidValue: a filter, the cursor or count is malformed'])
  list(@Query() q: AuditQueryDto) {
    return this.audit.list(q);
  }
}
