import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { URN } from '../scim';

export class PatchOperationDto {
  @ApiProperty({ enum: ['add', 'remove', 'replace'], description: 'Case-insensitive ("Replace" from Entra is accepted)' }) op!: string;
  @ApiPropertyOptional({ example: 'emails[type eq "work"].value' }) path?: string;
  @ApiPropertyOptional({ description: 'Any JSON value; required for add and replace' }) value?: unknown;
}

/** RFC 7644 §3.5.2 PatchOp. Documented here; validated by the protocol core (parsePatchRequest), which also reads IdP dialects. */
export class PatchOpDto {
  @ApiProperty({ example: [URN.PatchOp] }) schemas!: string[];
  @ApiProperty({ type: [PatchOperationDto] }) Operations!: PatchOperationDto[];
}
