import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { URN } from '../../scim';

/* Swagger documentation of the Group (team) resource; the protocol core validates it (validateResource). */

class MemberDto {
  @ApiProperty({ description: 'id of a User or Group of this server', format: 'uuid' }) value!: string;
  @ApiPropertyOptional({ readOnly: true }) $ref?: string;
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
  @ApiProperty() created!: string;
  @ApiProperty() lastModified!: string;
  @ApiProperty() location!: string;
  @ApiProperty({ example: 'W/"3"' }) version!: string;
}

/** RFC 7643 §4.2 Group with our team extension. */
export class ScimGroupDto {
  @ApiProperty({ example: [URN.Group, URN.TeamExtension] }) schemas!: string[];
  @ApiProperty({ readOnly: true, format: 'uuid' }) id?: string;
  @ApiPropertyOptional() externalId?: string;
  @ApiProperty({ example: 'Platform' }) displayName!: string;
  @ApiPropertyOptional({ type: [MemberDto] }) members?: MemberDto[];
  @ApiPropertyOptional({ name: URN.TeamExtension, type: TeamDto }) [URN.TeamExtension]?: TeamDto;
  @ApiProperty({ type: GroupMetaDto, readOnly: true }) meta?: GroupMetaDto;
}

export class GroupListResponseDto {
  @ApiProperty({ example: [URN.ListResponse] }) schemas!: string[];
  @ApiProperty() totalResults!: number;
  @ApiProperty() startIndex!: number;
  @ApiProperty() itemsPerPage!: number;
  @ApiProperty({ type: [ScimGroupDto] }) Resources!: ScimGroupDto[];
}
