import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString } from 'class-validator';

/** A repeated parameter (`?attributes=a&attributes=b`) means the same as one comma-separated value. */
const joinRepeated = Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? value.join(',') : value));
/** An empty `?count=` is no count at all (not 0); anything else must read as an integer. */
const optionalNumber = Transform(({ value }: { value: unknown }) => (value === '' ? undefined : Number(value)));

/** RFC 7644 §3.9 projection parameters, accepted on every operation that returns a resource. */
export class AttributesQueryDto {
  @ApiPropertyOptional({
    description:
      'Comma-separated attributes to return, besides id and schemas, which always come; such as userName,emails or displayName. ' +
      'May be repeated (RFC 7644 §3.9)',
  })
  @IsOptional()
  @joinRepeated
  @IsString()
  attributes?: string;

  @ApiPropertyOptional({
    description: 'Comma-separated attributes to leave out, such as members on /Groups (then the member list is not read at all)',
  })
  @IsOptional()
  @joinRepeated
  @IsString()
  excludedAttributes?: string;
}

/**
 * RFC 7644 §3.4.2 query parameters of a list request. None has an example, which Swagger UI would put in its field:
 * Execute with the fields left empty lists everything, and a sortBy such as userName would be a 400 on /Groups.
 */
export class ListQueryDto extends AttributesQueryDto {
  @ApiPropertyOptional({
    description:
      'RFC 7644 §3.4.2.2 filter; leave it empty to list everything. Such as userName eq "bjensen@example.com", ' +
      'displayName sw "Sa", emails[type eq "work" and value co "@example.com"], active eq false, meta.lastModified gt "2026-01-01T00:00:00Z"',
  })
  @IsOptional()
  @IsString()
  filter?: string;

  @ApiPropertyOptional({ description: '1-based index of the first result; values below 1 are read as 1; default 1' })
  @IsOptional()
  @optionalNumber
  @IsInt({ message: 'startIndex must be an integer' })
  startIndex?: number;

  @ApiPropertyOptional({ description: 'Page size; 0 returns only totalResults; default and most SCIM_MAX_RESULTS (200)' })
  @IsOptional()
  @optionalNumber
  @IsInt({ message: 'count must be an integer' })
  count?: number;

  @ApiPropertyOptional({
    description: 'RFC 7644 §3.4.2.3: a single-valued attribute to sort by, such as userName or meta.lastModified; ties break on id',
  })
  @IsOptional()
  @IsString()
  sortBy?: string;

  @ApiPropertyOptional({ description: 'ascending (the default) or descending', enum: ['ascending', 'descending'] })
  @IsOptional()
  @IsString()
  sortOrder?: string;

  @ApiPropertyOptional({
    description: 'RFC 9865 cursor paging: empty (`?cursor`) for the first page, then the nextCursor or previousCursor of a page',
  })
  @IsOptional()
  @IsString()
  cursor?: string;
}
