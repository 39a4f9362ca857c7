import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators';
import { ApiScim, ApiScimErrors } from '../http/api-docs';
import { ScimCtx, type ScimContext } from '../http/scim-context.decorator';
import { BulkService } from './bulk.service';
import { BULK_EXAMPLES } from './dto/bulk-examples';
import { BulkRequestDto, BulkResponseDto } from './dto/bulk.dto';

@ApiTags('SCIM Bulk')
@ApiScim()
@Auth('scim')
@Controller('scim/v2/Bulk')
export class BulkController {
  constructor(private readonly bulk: BulkService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'bulk',
    summary: 'Run many operations in one request (Bulk)',
    description:
      'RFC 7644 §3.7: POST, PUT, PATCH and DELETE on /Users and /Groups, each run as its single request would be, with its own ' +
      'status in the answer. Not atomic as a whole: an operation that fails leaves the others done. A POST with a bulkId can be ' +
      'referenced as "bulkId:<bulkId>" by the other operations (in a path, a member value, a manager), in any order; circular ' +
      'references fail. failOnErrors stops after that many failures. Limits: BULK_MAX_OPERATIONS operations and BULK_MAX_PAYLOAD ' +
      'bytes (ServiceProviderConfig bulk).',
  })
  @ApiBody({ type: BulkRequestDto, examples: BULK_EXAMPLES })
  @ApiResponse({
    status: 200,
    type: BulkResponseDto,
    description: 'A BulkResponse: the result of each operation that ran, in request order',
  })
  @ApiScimErrors(
    [400, 'invalidSyntax: not a BulkRequest (schemas, Operations); invalidValue: failOnErrors, or a bulkId used twice'],
    [413, 'More than BULK_MAX_OPERATIONS operations, or a body larger than BULK_MAX_PAYLOAD'],
    415,
  )
  run(@Body() body: unknown, @ScimCtx() ctx: ScimContext) {
    return this.bulk.run(body, ctx);
  }
}
