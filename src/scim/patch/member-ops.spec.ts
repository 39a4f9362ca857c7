import { scimErrorOf } from '../../../test/support/scim-error-of';
import { ScimResource } from '../schema/coerce';
import { URN } from '../urns';
import { applyPatch } from './apply-patch';

const group = (o: ScimResource = {}): ScimResource => ({ schemas: [URN.Group], displayName: 'Team', ...o });

describe('several spellings of members in one no-path PATCH value make one member operation', () => {
  it.each<[string, string, unknown[]]>([
    ['add adds them all', 'add', [{ kind: 'add', members: [{ value: 'a' }, { value: 'b' }] }]],
    ['replace keeps the last list', 'replace', [{ kind: 'replace', members: [{ value: 'b' }] }]],
  ])('%s', (_name, op, memberOps) => {
    const value = { members: [{ value: 'a' }], Members: [{ value: 'b' }], displayName: 'Renamed' };
    const result = applyPatch(group({ id: 'g1' }), [{ op, value }], 'Group');
    expect(result.memberOps).toEqual(memberOps);
    expect(result.resource.displayName).toBe('Renamed');
  });

  it('validates every list, the replaced ones too', () => {
    const value = { members: [{}], Members: [{ value: 'b' }] };
    expect(scimErrorOf(() => applyPatch(group({ id: 'g1' }), [{ op: 'replace', value }], 'Group'))).toMatchObject({
      scimType: 'invalidValue',
    });
  });
});
