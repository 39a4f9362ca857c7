import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators';
import { ScimGroupDto } from '../groups/dto/scim-group.dto';
import { ApiScim, ApiScimErrors } from '../http/api-docs';
import { ScimCtx, type ScimContext } from '../http/scim-context.decorator';
import { SearchRequestDto } from '../http/search-request.dto';
import { ScimUserDto } from '../users/dto/scim-user.dto';
import { ResourceListResponseDto } from './resource-list-response.dto';
import { ROOT_SEARCH_EXAMPLES } from './root-search-examples';
import { RootSearchService } from './root-search.service';

@ApiTags('SCIM search')
@ApiScim()
@Auth('scim')
@Controller('scim/v2')
export class RootSearchController {
  constructor(private readonly search: RootSearchService) {}

  @Post('.search')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'searchResources',
    summary: 'Search users and teams at once',
    description:
      'RFC 7644 §3.4.3 at the service root: one ListResponse over Users, then Groups, each searched as its own .search would. A type ' +
      'is searched when it has every attribute the filter names (userName eq "x" searches users alone); one without the sortBy ' +
      'attribute comes after the sorted ones, in creation order. startIndex and count run across both types; a cursor page ' +
      '(RFC 9865) holds one type, and its nextCursor moves on to the next.',
  })
  @ApiExtraModels(ScimUserDto, ScimGroupDto)
  @ApiBody({ type: SearchRequestDto, examples: ROOT_SEARCH_EXAMPLES })
  @ApiResponse({ status: 200, type: ResourceListResponseDto, description: 'A ListResponse of users, then teams' })
  @ApiScimErrors(
    [
      400,
      'invalidFilter (also when no type has every attribute the filter names), invalidValue for a malformed SearchRequest, ' +
        'invalidCursor or expiredCursor (RFC 9865)',
    ],
    413,
    415,
  )
  searchAll(@Body() body: SearchRequestDto, @ScimCtx() ctx: ScimContext) {
    return this.search.search(body, { ...ctx, attributes: body.attributes, excludedAttributes: body.excludedAttributes });
  }
}
