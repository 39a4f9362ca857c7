import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ScimErrorDto } from '../../http/scim-error.dto';
import { URN } from '../../scim';

/*
 * Swagger documentation of the BulkRequest and BulkResponse (RFC 7644 §3.7). The body reaches the service untransformed:
 * the protocol core validates the envelope (a 400 for the request) and each operation (a failure of that operation
 * alone), which a class-validator pass could not tell apart.
 */

export class BulkOperationDto {
  @ApiProperty({ enum: ['POST', 'PUT', 'PATCH', 'DELETE'], example: 'POST', description: 'Case-insensitive' }) method!: string;
  @ApiProperty({
    example: '/Users',
    description:
      '/Users or /Groups for POST; /Users/{id} or /Groups/{id} otherwise. The id may be "bulkId:<bulkId>" of a POST in the same request',
  })
  path!: string;
  @ApiPropertyOptional({
    example: 'qwerty',
    description: 'Unique within the request. Other operations reference the resource this POST creates as "bulkId:qwerty"',
  })
  bulkId?: string;
  @ApiPropertyOptional({ example: 'W/"3"', description: "The resource's current ETag: the operation's If-Match (412 when it has changed)" })
  version?: string;
  @ApiPropertyOptional({
    type: Object,
    description:
      'The User or Group (POST, PUT) or the PatchOp (PATCH), as for the single request; none for DELETE. Any value "bulkId:<bulkId>" (a member value, the enterprise manager.value) becomes the id that POST created',
    example: { schemas: [URN.User], userName: 'alice@example.com' },
  })
  data?: object;
}

export class BulkRequestDto {
  @ApiProperty({ example: [URN.BulkRequest] }) schemas!: string[];
  @ApiPropertyOptional({
    example: 1,
    description: 'Stop after this many failed operations; the operations after them are neither run nor reported. Unset: run all',
  })
  failOnErrors?: number;
  @ApiProperty({ type: [BulkOperationDto], description: 'At most maxOperations (ServiceProviderConfig bulk.maxOperations)' })
  Operations!: BulkOperationDto[];
}

export class BulkResultDto {
  @ApiPropertyOptional({ example: 'POST' }) method?: string;
  @ApiPropertyOptional({ example: 'qwerty' }) bulkId?: string;
  @ApiPropertyOptional({ example: 'W/"1"', description: 'The new ETag; none after DELETE or a failure' }) version?: string;
  @ApiPropertyOptional({
    example: 'https://scim.example.com/scim/v2/Users/2819c223-7f76-453a-919d-413861904646',
    description: 'Of the resource; none for a failed POST',
  })
  location?: string;
  @ApiProperty({ example: '201', description: 'The HTTP status the single request would have answered, as a string' }) status!: string;
  @ApiPropertyOptional({ type: ScimErrorDto, description: 'The SCIM error, for a failed operation only; successes carry no resource' })
  response?: ScimErrorDto;
}

export class BulkResponseDto {
  @ApiProperty({ example: [URN.BulkResponse] }) schemas!: string[];
  @ApiProperty({ type: [BulkResultDto], description: 'In request order' }) Operations!: BulkResultDto[];
}
