import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators';
import { ScimErrorDto } from '../http/scim-error.dto';
import { AuditService } from './audit.service';
import { AuditQueryDto } from './dto/audit-query.dto';
import { AuditPageDto } from './dto/audit-record.dto';

@ApiTags('Admin: audit log')
@ApiBearerAuth('admin')
@ApiUnauthorizedResponse({ type: ScimErrorDto, description: 'Missing or wrong admin API key' })
@Auth('admin')
@Controller('admin/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOkResponse({ type: AuditPageDto, description: 'Newest first' })
  @ApiBadRequestResponse({ type: ScimErrorDto, description: 'invalidValue: a filter or the cursor is malformed' })
  list(@Query() q: AuditQueryDto) {
    return this.audit.list(q);
  }
}
