import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { URN } from '../../scim';

/*
 * Swagger documentation of the User resource only. The body reaches the service untransformed: validation, coercion
 * ("True" → true, manager as a bare id) and case-insensitive names are the protocol core's job (validateResource),
 * and a class-validator pass would repeat part of it at a measurable cost per request.
 */

class NameDto {
  @ApiPropertyOptional({ example: 'Barbara Jensen' }) formatted?: string;
  @ApiPropertyOptional({ example: 'Jensen' }) familyName?: string;
  @ApiPropertyOptional({ example: 'Barbara' }) givenName?: string;
  @ApiPropertyOptional() middleName?: string;
  @ApiPropertyOptional() honorificPrefix?: string;
  @ApiPropertyOptional() honorificSuffix?: string;
}

class MultiValueDto {
  @ApiProperty({ example: 'bjensen@example.com' }) value!: string;
  @ApiPropertyOptional({ example: 'work' }) type?: string;
  @ApiPropertyOptional({ example: true }) primary?: boolean;
  @ApiPropertyOptional() display?: string;
}

class ManagerDto {
  @ApiPropertyOptional({ description: 'id of the manager (a bare string is accepted too)' }) value?: string;
  @ApiPropertyOptional({ readOnly: true }) displayName?: string;
}

class EnterpriseUserDto {
  @ApiPropertyOptional() employeeNumber?: string;
  @ApiPropertyOptional() costCenter?: string;
  @ApiPropertyOptional() organization?: string;
  @ApiPropertyOptional() division?: string;
  @ApiPropertyOptional({ example: 'Engineering' }) department?: string;
  @ApiPropertyOptional({ type: ManagerDto }) manager?: ManagerDto;
}

class GroupRefDto {
  @ApiProperty({ readOnly: true }) value!: string;
  @ApiPropertyOptional({ readOnly: true }) $ref?: string;
  @ApiPropertyOptional({ readOnly: true }) display?: string;
  @ApiPropertyOptional({ readOnly: true, enum: ['direct', 'indirect'] }) type?: string;
}

class MetaDto {
  @ApiProperty({ example: 'User' }) resourceType!: string;
  @ApiProperty() created!: string;
  @ApiProperty() lastModified!: string;
  @ApiProperty() location!: string;
  @ApiProperty({ example: 'W/"1"' }) version!: string;
}

/** RFC 7643 §4.1 User with the §4.3 Enterprise extension. */
export class ScimUserDto {
  @ApiProperty({ example: [URN.User, URN.EnterpriseUser] }) schemas!: string[];
  @ApiProperty({ readOnly: true, format: 'uuid' }) id?: string;
  @ApiPropertyOptional({ description: "The IdP's identifier (e.g. Entra objectId)" }) externalId?: string;
  @ApiProperty({ example: 'bjensen@example.com', description: 'Unique, case-insensitively' }) userName!: string;
  @ApiPropertyOptional({ type: NameDto }) name?: NameDto;
  @ApiPropertyOptional({ example: 'Babs Jensen' }) displayName?: string;
  @ApiPropertyOptional() nickName?: string;
  @ApiPropertyOptional() profileUrl?: string;
  @ApiPropertyOptional() title?: string;
  @ApiPropertyOptional() userType?: string;
  @ApiPropertyOptional() preferredLanguage?: string;
  @ApiPropertyOptional() locale?: string;
  @ApiPropertyOptional() timezone?: string;
  @ApiPropertyOptional({ example: true, description: 'false deprovisions the user ("False" strings accepted)' }) active?: boolean;
  @ApiPropertyOptional({ writeOnly: true, description: 'Stored only as an scrypt hash; never returned' }) password?: string;
  @ApiPropertyOptional({ type: [MultiValueDto] }) emails?: MultiValueDto[];
  @ApiPropertyOptional({ type: [MultiValueDto] }) phoneNumbers?: MultiValueDto[];
  @ApiPropertyOptional({ type: [MultiValueDto] }) ims?: MultiValueDto[];
  @ApiPropertyOptional({ type: [MultiValueDto] }) photos?: MultiValueDto[];
  @ApiPropertyOptional({ type: [Object] }) addresses?: object[];
  @ApiPropertyOptional({ type: [MultiValueDto] }) entitlements?: MultiValueDto[];
  @ApiPropertyOptional({ type: [MultiValueDto], description: "The primary value is the user's application role (USER_ROLES)" })
  roles?: MultiValueDto[];
  @ApiPropertyOptional({ type: [MultiValueDto] }) x509Certificates?: MultiValueDto[];
  @ApiPropertyOptional({ type: [GroupRefDto], readOnly: true }) groups?: GroupRefDto[];
  @ApiPropertyOptional({ name: URN.EnterpriseUser, type: EnterpriseUserDto }) [URN.EnterpriseUser]?: EnterpriseUserDto;
  @ApiProperty({ type: MetaDto, readOnly: true }) meta?: MetaDto;
}

export class UserListResponseDto {
  @ApiProperty({ example: [URN.ListResponse] }) schemas!: string[];
  @ApiProperty({ example: 1 }) totalResults!: number;
  @ApiProperty({ example: 1 }) startIndex!: number;
  @ApiProperty({ example: 1 }) itemsPerPage!: number;
  @ApiProperty({ type: [ScimUserDto] }) Resources!: ScimUserDto[];
}
