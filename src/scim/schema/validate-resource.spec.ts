import { scimErrorOf } from '../../../test/support/scim-error-of';
import { URN } from '../urns';
import { resolvePath } from './registry';
import { enterpriseUserSchema, userSchema } from './user.schema';
import { validateResource } from './validate-resource';

const ent = URN.EnterpriseUser;

describe(resolvePath.name, () => {
  it.each<[string, string | undefined]>([
    ['NAME.familyname', 'name.familyName'],
    [`${URN.User}:name.givenName`, 'name.givenName'],
    [`${ent.toUpperCase()}:MANAGER.value`, `${ent}:manager.value`],
    [`${ent}:department`, `${ent}:department`],
    ['META.LASTMODIFIED', 'meta.lastModified'],
    ['emails.$REF', undefined],
    ['groups.$ref', 'groups.$ref'],
    ['department', undefined],
    ['name.givenName.x', undefined],
    ['urn:okta:custom:1.0:User:foo', undefined],
  ])('%s → %s', (text, path) => expect(resolvePath('User', text)?.path).toBe(path));
});

describe('User schema (RFC 7643 §4.1, §4.3)', () => {
  it('declares the RFC characteristics', () => {
    const attr = (n: string) => userSchema.attributes.find((a) => a.name === n);
    expect(attr('userName')).toMatchObject({ required: true, caseExact: false, uniqueness: 'server' });
    expect(attr('password')).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
    expect(attr('groups')).toMatchObject({ mutability: 'readOnly', multiValued: true });
    expect(attr('x509Certificates')?.subAttributes?.[0]).toMatchObject({ name: 'value', type: 'binary' });
    expect(attr('addresses')?.subAttributes?.map((s) => s.name)).toEqual(
      expect.arrayContaining(['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country', 'type', 'primary']),
    );
    expect(enterpriseUserSchema.attributes.find((a) => a.name === 'manager')?.subAttributes?.[2]).toMatchObject({
      name: 'displayName',
      mutability: 'readOnly',
    });
  });
});

describe(validateResource.name, () => {
  it('canonicalises an Entra-style body', () => {
    const { resource, dropped } = validateResource(
      'User',
      {
        schemas: [URN.User.toLowerCase()],
        id: 'client-chosen',
        meta: { created: 'x' },
        USERNAME: 'bjensen',
        active: 'True',
        emails: { value: 'b@example.com', primary: 'true', type: 'work' },
        groups: [{ value: 'g' }],
        [ent]: { department: 'Sales', manager: 'm-1' },
        'urn:okta:custom:1.0:User': { costCode: 'x' },
        favouriteColour: 'blue',
        password: 'secret',
      },
      'create',
    );
    expect(resource).toEqual({
      schemas: [URN.User, ent],
      userName: 'bjensen',
      active: true,
      emails: [{ value: 'b@example.com', primary: true, type: 'work' }],
      [ent]: { department: 'Sales', manager: { value: 'm-1' } },
      password: 'secret',
    });
    expect(dropped).toEqual(['urn:okta:custom:1.0:User', 'favouriteColour']);
  });

  it('keeps Group members and the free-form team metadata verbatim', () => {
    const metadata = { budget: { monthly: 10 }, tags: ['a'], 'Mixed.Case': null };
    const { resource, memberships } = validateResource(
      'Group',
      { schemas: [URN.Group], displayName: 'T', members: [{ value: 'u1', type: 'user' }], [URN.TeamExtension]: { metadata } },
      'replace',
    );
    expect(resource).toEqual({ schemas: [URN.Group, URN.TeamExtension], displayName: 'T', [URN.TeamExtension]: { metadata } });
    expect(memberships).toEqual([{ value: 'u1', type: 'User' }]);
  });

  it.each<[string, unknown, string, RegExp]>([
    ['a missing userName', { schemas: [URN.User] }, 'invalidValue', /'userName' is required to create a User/],
    ['a missing core schema', { schemas: [ent], userName: 'x' }, 'invalidSyntax', /must contain/],
    ['a non-object body', 'x', 'invalidSyntax', /JSON object/],
    ['a non-boolean active', { schemas: [URN.User], userName: 'x', active: 'yes' }, 'invalidValue', /'active' must be a boolean/],
    [
      'an invalid dateTime-free binary',
      { schemas: [URN.User], userName: 'x', x509Certificates: [{ value: '%%' }] },
      'invalidValue',
      /x509Certificates.value' must be a base64/,
    ],
    [
      'two primary emails',
      {
        schemas: [URN.User],
        userName: 'x',
        emails: [
          { value: 'a', primary: true },
          { value: 'b', primary: 'True' },
        ],
      },
      'invalidValue',
      /primary/,
    ],
    ['an extension that is not an object', { schemas: [URN.User], userName: 'x', [ent]: 'x' }, 'invalidValue', /must be an object/],
    ['a Group without displayName', { schemas: [URN.Group] }, 'invalidValue', /'displayName' is required/],
  ])('rejects %s', (_name, body, scimType, detail) => {
    const type = (body as { schemas?: string[] }).schemas?.includes(URN.Group) ? 'Group' : 'User';
    const e = scimErrorOf(() => validateResource(type, body, 'create'));
    expect(e).toMatchObject({ status: 400, scimType });
    expect(e.detail).toMatch(detail);
  });
});
