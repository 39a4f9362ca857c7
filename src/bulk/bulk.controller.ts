import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators';
import { ScimCtx, type ScimContext } from '../http/scim-context.decorator';
import { ScimErrorDto } from '../http/scim-error.dto';
import { BulkService } from './bulk.service';
import { BulkRequestDto, BulkResponseDto } from './dto/bulk.dto';

@ApiTags('SCIM Bulk')
@ApiBearerAuth('scim')
@ApiUnauthorizedResponse({ type: ScimErrorDto })
@Auth('scim')
@Controller('scim/v2/Bulk')
export class BulkController {
  constructor(private readonly bulk: BulkService) {}

  @Post()
  @HttpCode(200)
  @ApiBody({ type: BulkRequestDto })
  @ApiOkResponse({
    type: BulkResponseDto,
    description:
      'Each operation ran (or failed) on its own, as its single request would; its status is in its result. Not atomic as a whole',
  })
  @ApiBadRequestResponse({
    type: ScimErrorDto,
    description: 'invalidSyntax: not a BulkRequest (schemas, Operations); invalidValue: failOnErrors, a bulkId used twice',
  })
  @ApiPayloadTooLargeResponse({
    type: ScimErrorDto,
    description: 'Over maxOperations or maxPayloadSize (BULK_MAX_OPERATIONS, BULK_MAX_PAYLOAD)',
  })
  run(@Body() body: unknown, @ScimCtx() ctx: ScimContext) {
    return this.bulk.run(body, ctx);
  }
}
