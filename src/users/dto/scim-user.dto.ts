import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ListResponseDto } from '../../http/list-response.dto';
import { URN } from '../../scim';

/*
 * Swagger documentation of the User resource only. The body reaches the service untransformed: validation, coercion
 * ("True" → true, manager as a bare id) and case-insensitive names are the protocol core's job (validateResource),
 * and a class-validator pass would repeat part of it at a measurable cost per request.
 */

class NameDto {
  @ApiPropertyOptional({ example: 'Ms. Barbara J Jensen III' }) formatted?: string;
  @ApiPropertyOptional({ example: 'Jensen' }) familyName?: string;
  @ApiPropertyOptional({ example: 'Barbara' }) givenName?: string;
  @ApiPropertyOptional({ example: 'Jane' }) middleName?: string;
  @ApiPropertyOptional({ example: 'Ms.' }) honorificPrefix?: string;
  @ApiPropertyOptional({ example: 'III' }) honorificSuffix?: string;
}

/** One value of a multi-valued attribute (RFC 7643 §2.4); each attribute has its own example value. */
function multiValue(value: string, type: string | undefined, description: string) {
  class MultiValueDto {
    @ApiProperty({ example: value, description }) value!: string;
    @ApiPropertyOptional({ example: type, description: 'A label such as work or home' }) type?: string;
    @ApiPropertyOptional({ example: true, description: 'At most one value is primary' }) primary?: boolean;
    @ApiPropertyOptional({ description: 'A label to show' }) display?: string;
  }
  return MultiValueDto;
}

class EmailDto extends multiValue('bjensen@example.com', 'work', 'An email address') {}
class PhoneNumberDto extends multiValue('+1 555 0100', 'work', 'A phone number') {}
class ImDto extends multiValue('bjensen@xmpp.example.com', 'xmpp', 'An instant messaging address') {}
class PhotoDto extends multiValue('https://photos.example.com/bjensen.jpg', 'photo', 'The URL of a photo') {}
class EntitlementDto extends multiValue('gateway:admin', undefined, 'An entitlement') {}
class RoleDto extends multiValue('member', undefined, "The primary (or first) value is the user's application role, one of USER_ROLES") {}
class X509CertificateDto extends multiValue('MIIBszCCAVmgAwIBAgIUEjRWeJA=', undefined, 'A DER certificate, base64-encoded') {}

class AddressDto {
  @ApiPropertyOptional({ example: 'work' }) type?: string;
  @ApiPropertyOptional({ example: '100 Universal City Plaza, Hollywood, CA 91608, USA' }) formatted?: string;
  @ApiPropertyOptional({ example: '100 Universal City Plaza' }) streetAddress?: string;
  @ApiPropertyOptional({ example: 'Hollywood' }) locality?: string;
  @ApiPropertyOptional({ example: 'CA' }) region?: string;
  @ApiPropertyOptional({ example: '91608' }) postalCode?: string;
  @ApiPropertyOptional({ example: 'US' }) country?: string;
  @ApiPropertyOptional({ example: true }) primary?: boolean;
}

class ManagerDto {
  @ApiPropertyOptional({ description: "The manager's id (a bare string instead of this object works too, as Entra sends it)" })
  value?: string;
  @ApiPropertyOptional({ readOnly: true }) displayName?: string;
}

class EnterpriseUserDto {
  @ApiPropertyOptional({ example: '701984' }) employeeNumber?: string;
  @ApiPropertyOptional({ example: '4130' }) costCenter?: string;
  @ApiPropertyOptional({ example: 'Universal Studios' }) organization?: string;
  @ApiPropertyOptional({ example: 'Theme Park' }) division?: string;
  @ApiPropertyOptional({ example: 'Tour Operations' }) department?: string;
  @ApiPropertyOptional({ type: ManagerDto, description: 'Set it once the manager exists: { "value": "<id of the manager>" }' })
  manager?: ManagerDto;
}

class GroupRefDto {
  @ApiProperty({ description: "The team's (Group's) id" }) value!: string;
  @ApiPropertyOptional({ readOnly: true }) $ref?: string;
  @ApiPropertyOptional({ readOnly: true }) display?: string;
  @ApiPropertyOptional({ readOnly: true, enum: ['direct', 'indirect'] }) type?: string;
}

class UserSettingsDto {
  @ApiPropertyOptional({
    type: Object,
    example: { monthlyBudgetUsd: 100, models: ['gpt-4o'] },
    description: "The application's per-user settings: free-form JSON up to 64 KiB; a PUT without the extension keeps it",
  })
  metadata?: Record<string, unknown>;
}

class MetaDto {
  @ApiProperty({ example: 'User' }) resourceType!: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-30T09:00:00.000Z' }) created!: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-30T09:00:00.000Z' }) lastModified!: string;
  @ApiProperty({ format: 'uri', example: 'https://scim.example.com/scim/v2/Users/2819c223-7f76-453a-919d-413861904646' })
  location!: string;
  @ApiProperty({ example: 'W/"1"', description: 'Also the ETag header' }) version!: string;
}

/** RFC 7643 §4.1 User with the §4.3 Enterprise extension. */
export class ScimUserDto {
  @ApiProperty({ example: [URN.User, URN.EnterpriseUser], description: 'Must include the core User URN' }) schemas!: string[];
  @ApiProperty({ readOnly: true, format: 'uuid', example: '2819c223-7f76-453a-919d-413861904646' }) id?: string;
  @ApiPropertyOptional({ example: '701984', description: "The IdP's identifier (Entra's object id, Okta's user id)" }) externalId?: string;
  @ApiProperty({ example: 'bjensen@example.com', description: 'Unique, compared case-insensitively' }) userName!: string;
  @ApiPropertyOptional({ type: NameDto }) name?: NameDto;
  @ApiPropertyOptional({ example: 'Babs Jensen' }) displayName?: string;
  @ApiPropertyOptional({ example: 'Babs' }) nickName?: string;
  @ApiPropertyOptional({ example: 'https://login.example.com/bjensen' }) profileUrl?: string;
  @ApiPropertyOptional({ example: 'Tour Guide' }) title?: string;
  @ApiPropertyOptional({ example: 'Employee' }) userType?: string;
  @ApiPropertyOptional({ example: 'en-US' }) preferredLanguage?: string;
  @ApiPropertyOptional({ example: 'en-US' }) locale?: string;
  @ApiPropertyOptional({ example: 'America/Los_Angeles' }) timezone?: string;
  @ApiPropertyOptional({ example: true, description: 'false deprovisions the user ("True"/"False" strings are accepted)' })
  active?: boolean;
  @ApiPropertyOptional({
    writeOnly: true,
    example: 'Correct-Horse-Battery-9',
    description: 'Stored only as an scrypt hash; never returned',
  })
  password?: string;
  @ApiPropertyOptional({ type: [EmailDto] }) emails?: EmailDto[];
  @ApiPropertyOptional({ type: [PhoneNumberDto] }) phoneNumbers?: PhoneNumberDto[];
  @ApiPropertyOptional({ type: [ImDto] }) ims?: ImDto[];
  @ApiPropertyOptional({ type: [PhotoDto] }) photos?: PhotoDto[];
  @ApiPropertyOptional({ type: [AddressDto] }) addresses?: AddressDto[];
  @ApiPropertyOptional({ type: [EntitlementDto] }) entitlements?: EntitlementDto[];
  @ApiPropertyOptional({ type: [RoleDto], description: "The primary value is the user's application role (USER_ROLES)" })
  roles?: RoleDto[];
  @ApiPropertyOptional({ type: [X509CertificateDto] }) x509Certificates?: X509CertificateDto[];
  @ApiPropertyOptional({
    type: [GroupRefDto],
    description:
      "The user's direct teams. POST /Users joins the teams listed (by id); PUT and PATCH change them only with " +
      'SCIM_USER_GROUPS_WRITABLE=true (else readOnly, RFC 7643 §4.1.2; change them through /Groups)',
  })
  groups?: GroupRefDto[];
  @ApiPropertyOptional({ name: URN.EnterpriseUser, type: EnterpriseUserDto }) [URN.EnterpriseUser]?: EnterpriseUserDto;
  @ApiPropertyOptional({ name: URN.UserExtension, type: UserSettingsDto }) [URN.UserExtension]?: UserSettingsDto;
  @ApiProperty({ type: MetaDto, readOnly: true }) meta?: MetaDto;
}

export class UserListResponseDto extends ListResponseDto {
  @ApiProperty({ type: [ScimUserDto] }) Resources!: ScimUserDto[];
}
