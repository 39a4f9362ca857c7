import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { URN } from '../scim';

export class PatchOperationDto {
  @ApiProperty({ enum: ['add', 'remove', 'replace'], description: 'Case-insensitive ("Replace" from Entra is accepted)' }) op!: string;
  @ApiPropertyOptional({
    example: 'displayName',
    description:
      'The attribute to change, such as title, name.familyName, emails[type eq "work"].value or members; absent: value names them',
  })
  path?: string;
  @ApiPropertyOptional({ example: 'Babs', description: 'Any JSON value; required for add and replace' }) value?: unknown;
}

/** RFC 7644 §3.5.2 PatchOp. Documented here; validated by the protocol core (parsePatchRequest), which also reads IdP dialects. */
export class PatchOpDto {
  @ApiProperty({ example: [URN.PatchOp], description: 'Must include the PatchOp URN' }) schemas!: string[];
  @ApiProperty({ type: [PatchOperationDto] }) Operations!: PatchOperationDto[];
}
