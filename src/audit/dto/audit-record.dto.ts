import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class AuditActorDto {
  @ApiProperty({ enum: ['scim-token', 'admin', 'cli'] }) type!: string;
  @ApiPropertyOptional({ description: "The SCIM token's id" }) id?: string;
  @ApiPropertyOptional({ description: "The SCIM token's name, or the CLI's OS user" }) name?: string;
}

export class AuditRecordDto {
  @ApiProperty({ example: '1042' }) id!: string;
  @ApiProperty() time!: Date;
  @ApiProperty({ type: AuditActorDto }) actor!: AuditActorDto;
  @ApiProperty({ type: String, nullable: true, example: 'Microsoft.Azure.ActiveDirectory' }) userAgent!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'X-Request-Id of the request' }) requestId!: string | null;
  @ApiProperty({ example: 'PATCH' }) method!: string;
  @ApiProperty({ example: '/scim/v2/Users/2819c223-7f76-453a-919d-413861904646' }) path!: string;
  @ApiProperty({ type: String, nullable: true, enum: ['User', 'Group', 'Bulk', 'ScimToken', 'ApiKey'] }) resourceType!: string | null;
  @ApiProperty({ type: String, nullable: true }) resourceId!: string | null;
  @ApiProperty({ example: 200 }) status!: number;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'The SCIM error type of a failed request' }) scimType!:
    string | null;
  @ApiProperty({
    type: Object,
    nullable: true,
    example: { op: 'patch', attributes: ['active'], keysSuspended: 2 },
    description: 'What changed, by attribute name and count; never a value, a secret or a body',
  })
  summary!: Record<string, unknown> | null;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditRecordDto] }) records!: AuditRecordDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next (older) page; null on the last page' })
  nextCursor!: string | null;
}
