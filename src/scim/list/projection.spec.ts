import fc from 'fast-check';
import { AttributeDef } from '../schema/attribute';
import { ResolvedPath, resolvePath } from '../schema/registry';
import { isRequested, parseAttributeList, project } from './projection';

/** The selection rule as it was written before names were indexed: every lookup scans the whole list. */
function oracle(q: { attributes?: string[]; excludedAttributes?: string[] }, path: string): boolean {
  const rp = resolvePath('User', path) as ResolvedPath;
  const resolve = (names: string[] | undefined) =>
    parseAttributeList(names).flatMap((n) => {
      const r = resolvePath('User', n);
      return r ? [r] : [];
    });
  const requested = resolve(q.attributes);
  const excluded = resolve(q.excludedAttributes);
  const attribute: AttributeDef = rp.attribute;
  const sub = rp.sub;
  const def = sub ?? attribute;
  if (attribute.returned === 'never' || def.returned === 'never') {
    return false;
  }
  if (attribute.returned === 'always' || def.returned === 'always') {
    return true;
  }
  const named = (list: ResolvedPath[], whole: boolean) =>
    list.some((r) => r.attribute === attribute && (sub ? !r.sub || r.sub === sub : !whole || !r.sub));
  if (parseAttributeList(q.attributes).length > 0) {
    return named(requested, false);
  }
  return def.returned !== 'request' && !named(excluded, true);
}

const paths = [
  'userName',
  'name',
  'name.givenName',
  'name.familyName',
  'emails',
  'emails.value',
  'emails.type',
  'title',
  'id',
  'password',
  'groups',
];
const names = fc.array(fc.constantFrom(...paths, 'NAME.GIVENNAME', 'unknown', 'emails.nope'), { maxLength: 6 });

describe('attributes and excludedAttributes, indexed by attribute', () => {
  it('select exactly what a scan of the lists selected', () => {
    fc.assert(
      fc.property(fc.option(names, { nil: undefined }), fc.option(names, { nil: undefined }), (attributes, excludedAttributes) => {
        const q = { attributes, excludedAttributes };
        return paths.every((p) => isRequested('User', q, p) === oracle(q, p));
      }),
      { numRuns: 150 },
    );
  });

  it('read a list of 20,000 names like the few distinct names in it', () => {
    const user = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      id: 'u1',
      userName: 'b',
      title: 'T',
      name: { givenName: 'B', familyName: 'J' },
    };
    const many = Array.from({ length: 20_000 }, (_, i) => (i % 2 ? 'name.givenName' : 'title'));
    expect(project(user, 'User', { attributes: many })).toEqual(project(user, 'User', { attributes: ['title', 'name.givenName'] }));
    expect(project(user, 'User', { excludedAttributes: many })).toEqual(
      project(user, 'User', { excludedAttributes: 'title,name.givenName' }),
    );
  });
});
