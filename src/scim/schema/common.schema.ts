import { complex, dateTime, ref, str } from './attribute';

/** RFC 7643 §3.1 common attributes, plus `schemas` (§3) so that it can be filtered and projected like the others. */
export const commonAttributes = [
  ref('schemas', ['uri'], 'The schema URIs the resource conforms to.', {
    caseExact: false, // schema URNs are case-insensitive (RFC 7643 §2.1)
    multiValued: true,
    required: true,
    mutability: 'readOnly',
    returned: 'always',
  }),
  str('id', 'A unique identifier for the resource, issued by the service provider.', {
    required: true,
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
  }),
  str('externalId', 'An identifier for the resource as defined by the provisioning client.', { caseExact: true }),
  complex(
    'meta',
    'Resource metadata maintained by the service provider.',
    [
      str('resourceType', 'The name of the resource type of the resource.', { caseExact: true, mutability: 'readOnly' }),
      dateTime('created', 'When the resource was added to the service provider.', { mutability: 'readOnly' }),
      dateTime('lastModified', 'When the resource was last updated.', { mutability: 'readOnly' }),
      ref('location', ['uri'], 'The URI of the resource.', { caseExact: true, mutability: 'readOnly' }),
      str('version', 'The entity tag (ETag) of the resource version.', { caseExact: true, mutability: 'readOnly' }),
    ],
    { mutability: 'readOnly' },
  ),
] as const;
