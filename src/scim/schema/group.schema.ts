import { URN } from '../urns';
import { complex, ref, schema, str } from './attribute';

/** RFC 7643 §4.2 and §8.7.1 (displayName is REQUIRED per §4.2). */
export const groupSchema = schema(URN.Group, 'Group', 'Group', [
  str('displayName', 'A human-readable name for the Group. REQUIRED.', { required: true }),
  complex(
    'members',
    'A list of members of the Group.',
    [
      str('value', 'Identifier of the member of this Group.', { mutability: 'immutable' }),
      ref('$ref', ['User', 'Group'], 'The URI corresponding to a SCIM resource that is a member of this Group.', {
        mutability: 'immutable',
      }),
      str('display', 'A human-readable name, primarily used for display purposes.', { mutability: 'readOnly' }),
      str('type', "A label indicating the type of resource, e.g. 'User' or 'Group'.", {
        canonicalValues: ['User', 'Group'],
        closedValues: true,
        mutability: 'immutable',
      }),
    ],
    { multiValued: true },
  ),
]);

/** Our Group extension for team settings. */
export const teamExtensionSchema = schema(URN.TeamExtension, 'Team', 'Team settings of a Group', [
  str('description', 'A free-text description of the team.'),
  complex('metadata', 'Free-form JSON object of team settings, stored verbatim.', [], { freeForm: true }),
]);
