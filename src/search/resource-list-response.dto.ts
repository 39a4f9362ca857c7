import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { ScimGroupDto } from '../groups/dto/scim-group.dto';
import { ListResponseDto } from '../http/list-response.dto';
import { ScimUserDto } from '../users/dto/scim-user.dto';

/** A ListResponse of users and teams, as POST /.search answers. */
export class ResourceListResponseDto extends ListResponseDto {
  @ApiProperty({
    type: 'array',
    items: { oneOf: [{ $ref: getSchemaPath(ScimUserDto) }, { $ref: getSchemaPath(ScimGroupDto) }] },
    description: 'Users, then teams',
  })
  Resources!: (ScimUserDto | ScimGroupDto)[];
}
