import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators';
import { ScimCtx, type ScimContext } from '../http/scim-context.decorator';
import { ScimErrorDto } from '../http/scim-error.dto';
import { SearchRequestDto } from '../http/search-request.dto';
import { RootSearchService } from './root-search.service';

@ApiTags('SCIM search')
@ApiBearerAuth('scim')
@ApiUnauthorizedResponse({ type: ScimErrorDto })
@Auth('scim')
@Controller('scim/v2')
export class RootSearchController {
  constructor(private readonly search: RootSearchService) {}

  @Post('.search')
  @HttpCode(200)
  @ApiOkResponse({ description: 'RFC 7644 §3.4.3: Users, then Groups, in one ListResponse' })
  searchAll(@Body() body: SearchRequestDto, @ScimCtx() ctx: ScimContext) {
    return this.search.search(body, { ...ctx, attributes: body.attributes, excludedAttributes: body.excludedAttributes });
  }
}
