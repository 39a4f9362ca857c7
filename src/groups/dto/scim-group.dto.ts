import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ListResponseDto } from '../../http/list-response.dto';
import { URN } from '../../scim';

/* Swagger documentation of the Group (team) resource; the protocol core validates it (validateResource). */

class MemberDto {
  @ApiProperty({ description: 'The id of a User or Group of this server', example: '2819c223-7f76-453a-919d-413861904646' })
  value!: string;
  @ApiPropertyOptional({ readOnly: true, format: 'uri' }) $ref?: string;
  @ApiPropertyOptional({ readOnly: true, description: "The member's displayName (or userName)" }) display?: string;
  @ApiPropertyOptional({ enum: ['User', 'Group'], description: 'Omitted: looked up (Okta sends nested groups untyped)' }) type?: string;
}

class TeamDto {
  @ApiPropertyOptional({ example: 'Platform team: owns the gateway' }) description?: string;
  @ApiPropertyOptional({ type: Object, example: { budgetUsd: 500, models: ['gpt-4o'] }, description: 'Free-form JSON, stored verbatim' })
  metadata?: Record<string, unknown>;
}

class GroupMetaDto {
  @ApiProperty({ example: 'Group' }) resourceType!: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-30T09:00:00.000Z' }) created!: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-30T09:00:00.000Z' }) lastModified!: string;
  @ApiProperty({ format: 'uri', example: 'https://scim.example.com/scim/v2/Groups/e9e30dba-f08f-4109-8486-d5c6a331660a' })
  location!: string;
  @ApiProperty({ example: 'W/"3"', description: 'Also the ETag header' }) version!: string;
}

/** RFC 7643 §4.2 Group with our team extension. */
export class ScimGroupDto {
  @ApiProperty({ example: [URN.Group, URN.TeamExtension], description: 'Must include the core Group URN' }) schemas!: string[];
  @ApiProperty({ readOnly: true, format: 'uuid', example: 'e9e30dba-f08f-4109-8486-d5c6a331660a' }) id?: string;
  @ApiPropertyOptional({ example: 'okta-00g1a2b3c4', description: "The IdP's identifier of the group" }) externalId?: string;
  @ApiProperty({ example: 'Platform', description: 'Required; not unique' }) displayName!: string;
  @ApiPropertyOptional({
    type: [MemberDto],
    description: 'Users and nested groups, by id. In a PUT, the member set becomes this list; a PUT without members keeps them.',
  })
  members?: MemberDto[];
  @ApiPropertyOptional({ name: URN.TeamExtension, type: TeamDto }) [URN.TeamExtension]?: TeamDto;
  @ApiProperty({ type: GroupMetaDto, readOnly: true }) meta?: GroupMetaDto;
}

export class GroupListResponseDto extends ListResponseDto {
  @ApiProperty({ type: [ScimGroupDto] }) Resources!: ScimGroupDto[];
}
