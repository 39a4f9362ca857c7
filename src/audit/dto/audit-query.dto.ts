import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/*
 * GET /admin/audit: filters (all optional, combined with AND) and keyset paging. No parameter has an example, which
 * Swagger UI would put in its field: Execute with the fields left empty shows the newest records, all of them.
 */
export class AuditQueryDto {
  @ApiPropertyOptional({
    description: "The resource's id: a user, team, SCIM token or API key, such as 2819c223-7f76-453a-919d-413861904646",
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  resourceId?: string;

  @ApiPropertyOptional({
    description: "`admin`, `cli`, a SCIM token's id or name (such as Entra ID production), or the OS user of a CLI action",
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;

  @ApiPropertyOptional({ description: '`success` (status below 400), `failure` (400 and above), or one HTTP status such as 409' })
  @IsOptional()
  @IsString()
  outcome?: string;

  @ApiPropertyOptional({ description: 'Records at or after this time (ISO 8601), such as 2026-11-30T00:00:00Z' })
  @IsOptional()
  @IsString()
  since?: string;

  @ApiPropertyOptional({ description: 'Records before this time (ISO 8601), such as 2026-12-01T00:00:00Z' })
  @IsOptional()
  @IsString()
  until?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page, as it is (opaque); leave it out for the first page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ description: 'Records per page, 1-1000; default 100' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : Number(value)))
  @IsInt({ message: 'count must be an integer' })
  @Min(1)
  @Max(1000)
  count?: number;
}
