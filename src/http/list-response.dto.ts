import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { URN } from '../scim';

/** RFC 7644 §3.4.2 ListResponse, with RFC 9865's cursors; each list says what its Resources are. */
export class ListResponseDto {
  @ApiProperty({ example: [URN.ListResponse] }) schemas!: string[];
  @ApiProperty({ example: 1 }) totalResults!: number;
  @ApiPropertyOptional({ example: 1, description: 'On an index page (startIndex and count); a cursor page has nextCursor instead' })
  startIndex?: number;
  @ApiProperty({ example: 1 }) itemsPerPage!: number;
  @ApiPropertyOptional({ description: 'RFC 9865: pass as cursor for the next page; absent on the last page' }) nextCursor?: string;
  @ApiPropertyOptional({ description: 'RFC 9865: pass as cursor for the previous page; absent on the first page' })
  previousCursor?: string;
}
