import { URN } from '../urns';
import { binary, bool, complex, multiValuedComplex, ref, schema, str } from './attribute';

const name = (n: string, description: string) => str(n, description);

/** RFC 7643 §4.1 and §8.7.1. */
export const userSchema = schema(URN.User, 'User', 'User Account', [
  str('userName', 'Unique identifier for the User, typically used to authenticate; unique across the service provider. REQUIRED.', {
    required: true,
    uniqueness: 'server',
  }),
  complex('name', "The components of the user's real name.", [
    name('formatted', 'The full name, formatted for display.'),
    name('familyName', 'The family (last) name of the User.'),
    name('givenName', 'The given (first) name of the User.'),
    name('middleName', 'The middle name(s) of the User.'),
    name('honorificPrefix', "The honorific prefix(es) of the User, e.g. 'Ms.'."),
    name('honorificSuffix', "The honorific suffix(es) of the User, e.g. 'III'."),
  ]),
  str('displayName', 'The name of the User, suitable for display to end-users.'),
  str('nickName', "The casual way to address the user, e.g. 'Bob' instead of 'Robert'."),
  ref('profileUrl', ['external'], "A fully qualified URL pointing to the User's online profile."),
  str('title', "The user's title, such as 'Vice President'."),
  str('userType', "The relationship between the organization and the user, e.g. 'Employee', 'Contractor'."),
  str('preferredLanguage', "The User's preferred written or spoken language, e.g. 'en_US'."),
  str('locale', "The User's default location for localizing currency, dates and numbers."),
  str('timezone', "The User's time zone in the Olson database format, e.g. 'America/Los_Angeles'."),
  bool('active', "The User's administrative status."),
  str('password', "The User's cleartext password, to set an initial password or reset it.", {
    mutability: 'writeOnly',
    returned: 'never',
  }),
  multiValuedComplex('emails', 'Email addresses for the User.', str('value', 'An email address for the User.'), ['work', 'home', 'other']),
  multiValuedComplex('phoneNumbers', 'Phone numbers for the User.', str('value', 'A phone number for the User.'), [
    'work',
    'home',
    'mobile',
    'fax',
    'pager',
    'other',
  ]),
  multiValuedComplex('ims', 'Instant messaging addresses for the User.', str('value', 'An instant messaging address.'), [
    'aim',
    'gtalk',
    'icq',
    'xmpp',
    'msn',
    'skype',
    'qq',
    'yahoo',
  ]),
  multiValuedComplex('photos', 'URLs of photos of the User.', ref('value', ['external'], 'URL of a photo of the User.'), [
    'photo',
    'thumbnail',
  ]),
  multiValuedComplex(
    'addresses',
    'Physical mailing addresses for the User.',
    str('formatted', 'The full mailing address, formatted for display.'),
    ['work', 'home', 'other'],
    [
      str('streetAddress', 'The full street address component.'),
      str('locality', 'The city or locality component.'),
      str('region', 'The state or region component.'),
      str('postalCode', 'The zip code or postal code component.'),
      str('country', 'The country name component.'),
    ],
  ),
  complex(
    'groups',
    'The groups the user belongs to, directly or indirectly.',
    [
      str('value', "The identifier of the User's group.", { mutability: 'readOnly' }),
      ref('$ref', ['User', 'Group'], "The URI of the corresponding 'Group' resource.", { mutability: 'readOnly' }),
      str('display', 'A human-readable name, primarily used for display purposes.', { mutability: 'readOnly' }),
      str('type', "A label indicating the attribute's function, e.g. 'direct' or 'indirect'.", {
        canonicalValues: ['direct', 'indirect'],
        mutability: 'readOnly',
      }),
    ],
    { multiValued: true, mutability: 'readOnly' },
  ),
  multiValuedComplex('entitlements', 'Entitlements of the User.', str('value', 'The value of an entitlement.'), []),
  multiValuedComplex('roles', "Roles of the User, e.g. 'Student', 'Faculty'.", str('value', 'The value of a role.'), []),
  multiValuedComplex('x509Certificates', 'Certificates issued to the User.', binary('value', 'The value of an X.509 certificate.'), []),
]);

/** RFC 7643 §4.3 and §8.7.2. */
export const enterpriseUserSchema = schema(URN.EnterpriseUser, 'EnterpriseUser', 'Enterprise User', [
  str('employeeNumber', 'Numeric or alphanumeric identifier assigned to a person by the organization.'),
  str('costCenter', 'Identifies the name of a cost center.'),
  str('organization', 'Identifies the name of an organization.'),
  str('division', 'Identifies the name of a division.'),
  str('department', 'Identifies the name of a department.'),
  complex('manager', "The User's manager.", [
    str('value', 'The id of the SCIM resource representing the manager.'),
    ref('$ref', ['User'], 'The URI of the SCIM resource representing the manager.'),
    str('displayName', 'The displayName of the manager.', { mutability: 'readOnly' }),
  ]),
]);

/** Our User extension: the application's per-user settings (budget, allowed models), kept in step with the IdP. */
export const userSettingsSchema = schema(URN.UserExtension, 'UserSettings', 'Application settings of a User', [
  complex('metadata', 'Free-form JSON object of user settings, stored verbatim.', [], { freeForm: true }),
]);
