import circular from '../../../test/fixtures/rfc7644-3.7.1-circular.json';
import bulkIds from '../../../test/fixtures/rfc7644-3.7.2-bulk.json';
import multiple from '../../../test/fixtures/rfc7644-3.7.3-bulk.json';
import { scimErrorOf } from '../../../test/support/scim-error-of';
import { URN } from '../urns';
import { planBulk, referencesOf, resolveReferences } from './bulk-plan';
import { BulkOperation, InvalidBulkOperation, parseBulkOperation, parseBulkRequest } from './bulk-request';
import { bulkFailure, bulkResponse, bulkSuccess } from './bulk-response';

const envelope = (Operations: unknown[], extra: Record<string, unknown> = {}) => ({ schemas: [URN.BulkRequest], Operations, ...extra });
const post = (bulkId: string | undefined, data: Record<string, unknown>, path = '/Users') => ({ method: 'POST', path, bulkId, data });
const patch = (path: string, ...values: unknown[]) => ({
  method: 'PATCH',
  path,
  data: { schemas: [URN.PatchOp], Operations: values.map((value) => ({ op: 'add', path: 'members', value })) },
});
const member = (bulkId: string) => ({ value: `bulkId:${bulkId}` });
const parse = (ops: unknown[]) => parseBulkRequest(envelope(ops), 1000).operations;
/** The plan as indexes, a circular step marked with a `!`. */
const order = (ops: unknown[]) => planBulk(parse(ops)).steps.map((s) => (s.circular ? `${s.index}!` : `${s.index}`));

describe(parseBulkRequest.name, () => {
  it('reads the RFC 7644 §3.7.3 request: four operations, failOnErrors, versions as If-Match', () => {
    const request = parseBulkRequest(multiple.request, 1000);
    expect(request.failOnErrors).toBe(1);
    expect(request.operations.map((op) => [op.valid, op.method, op.bulkId, op.valid ? op.resourceType.id : undefined])).toEqual([
      [true, 'POST', 'qwerty', 'User'],
      [true, 'PUT', undefined, 'User'],
      [true, 'PATCH', undefined, 'User'],
      [true, 'DELETE', undefined, 'User'],
    ]);
    expect(request.operations[1]).toMatchObject({ id: 'b7c14771-226c-4d05-8860-134711653041', version: 'W/"3694e05e9dff591"' });
    expect(request.operations[3]).toMatchObject({ data: undefined, version: 'W/"0ee8add0a938e1a"' });
  });

  it.each<[string, unknown, number, string | undefined, RegExp]>([
    ['a body that is not an object', [], 400, 'invalidSyntax', /must be a JSON object/],
    ['no schemas', { Operations: [post('a', {})] }, 400, 'invalidSyntax', /BulkRequest/],
    ['the PatchOp URN', { schemas: [URN.PatchOp], Operations: [post('a', {})] }, 400, 'invalidSyntax', /BulkRequest/],
    ['no Operations', { schemas: [URN.BulkRequest] }, 400, 'invalidSyntax', /"Operations" must be a non-empty array/],
    ['Operations as an object', envelope({} as unknown[]), 400, 'invalidSyntax', /non-empty array/],
    ['empty Operations', envelope([]), 400, 'invalidSyntax', /non-empty array/],
    ['failOnErrors 0', envelope([post('a', {})], { failOnErrors: 0 }), 400, 'invalidValue', /failOnErrors/],
    ['failOnErrors "1"', envelope([post('a', {})], { failOnErrors: '1' }), 400, 'invalidValue', /failOnErrors/],
    ['failOnErrors 1.5', envelope([post('a', {})], { failOnErrors: 1.5 }), 400, 'invalidValue', /failOnErrors/],
    [
      'a bulkId used twice',
      envelope([post('a', {}), post('b', {}), { method: 'DELETE', path: '/Users/x', bulkId: 'a' }]),
      400,
      'invalidValue',
      /"a" is used by Operations\[0\] and Operations\[2\]/,
    ],
    [
      'more operations than maxOperations',
      envelope(Array.from({ length: 4 }, () => post(undefined, {}))),
      413,
      undefined,
      /at most 3 .*has 4/,
    ],
  ])('refuses the whole request for %s', (_name, body, status, scimType, detail) => {
    expect(scimErrorOf(() => parseBulkRequest(body, 3))).toMatchObject({ status, scimType, detail: expect.stringMatching(detail) });
  });

  it('reads member names case-insensitively, and null failOnErrors as none', () => {
    const request = parseBulkRequest(
      { SCHEMAS: [URN.BulkRequest.toUpperCase()], operations: [{ Method: 'post', PATH: '/users', Data: {} }], failOnErrors: null },
      9,
    );
    expect(request.failOnErrors).toBeUndefined();
    expect(request.operations[0]).toMatchObject({ valid: true, method: 'POST', resourceType: { id: 'User' } });
  });
});

describe(parseBulkOperation.name, () => {
  it.each<[string, unknown, number, string | undefined, RegExp, Record<string, unknown>]>([
    ['not an object', 'DELETE /Users/1', 400, 'invalidSyntax', /Operations\[0\] must be an object/, {}],
    ['no method', { path: '/Users', data: {} }, 400, 'invalidSyntax', /method must be POST, PUT, PATCH or DELETE; got nothing/, {}],
    ['GET', { method: 'GET', path: '/Users/1', bulkId: 'g' }, 400, 'invalidSyntax', /got "GET"/, { method: 'GET', bulkId: 'g' }],
    ['a bulkId that is a number', { method: 'POST', path: '/Users', bulkId: 7, data: {} }, 400, 'invalidSyntax', /bulkId/, {}],
    ['no path', { method: 'DELETE' }, 400, 'invalidSyntax', /path must be a string/, { method: 'DELETE' }],
    ['an unknown endpoint', { method: 'POST', path: '/Bulk', data: {} }, 404, undefined, /no endpoint at POST \/Bulk/, {}],
    ['a path too deep', { method: 'DELETE', path: '/Users/1/x' }, 404, undefined, /no endpoint/, {}],
    ['POST to a resource', { method: 'POST', path: '/Users/1', data: {} }, 405, undefined, /POST is not supported on \/Users\/\{id\}/, {}],
    [
      'PUT to an endpoint',
      { method: 'put', path: '/Groups', data: {} },
      405,
      undefined,
      /PUT is not supported on \/Groups/,
      { method: 'PUT' },
    ],
    ['DELETE of an endpoint', { method: 'DELETE', path: '/Users/' }, 405, undefined, /DELETE is not supported/, {}],
    [
      'a version that is a number',
      { method: 'DELETE', path: '/Users/1', version: 3 },
      400,
      'invalidSyntax',
      /version must be a string/,
      {},
    ],
    [
      'POST without data',
      { method: 'POST', path: '/Users', bulkId: 'p' },
      400,
      'invalidSyntax',
      /data must be a JSON object: the User/,
      { bulkId: 'p' },
    ],
    ['PATCH with data as an array', { method: 'PATCH', path: '/Users/1', data: [] }, 400, 'invalidSyntax', /the PatchOp/, {}],
    ['a path with a broken escape', { method: 'DELETE', path: '/Users/%zz' }, 400, undefined, /not a valid path/, {}],
  ])('fails an operation alone for %s, echoing what it can', (_name, raw, status, scimType, detail, echoed) => {
    const op = parseBulkOperation(raw, 0);
    expect(op).toMatchObject({ valid: false, index: 0, ...echoed, error: { status, scimType, detail: expect.stringMatching(detail) } });
  });

  it('keeps the target of an invalid PUT, for the location of its failure', () => {
    const op = parseBulkOperation({ method: 'PUT', path: '/Users/abc' }, 2) as InvalidBulkOperation;
    expect(bulkFailure(op, op.error, 'https://x/scim/v2')).toEqual({
      method: 'PUT',
      location: 'https://x/scim/v2/Users/abc',
      status: '400',
      response: expect.objectContaining({ status: '400', scimType: 'invalidSyntax' }),
    });
  });

  it('ignores data on DELETE and reads a null version or bulkId as none', () => {
    const op = parseBulkOperation({ method: 'delete', path: 'Groups/g1', data: 'x', version: null, bulkId: null }, 0);
    expect(op).toMatchObject({ valid: true, method: 'DELETE', id: 'g1', data: undefined, version: undefined });
    expect(op.bulkId).toBeUndefined();
  });
});

describe(planBulk.name, () => {
  it('keeps request order when nothing references a later POST (RFC 7644 §3.7.2 example)', () => {
    expect(order(bulkIds.members.request.Operations)).toEqual(['0', '1']);
  });

  it('runs a POST before the first operation that references it, the rest in request order', () => {
    const ops = [
      post('u1', {}),
      post('g', { displayName: 'T', members: [member('u1'), member('u2'), member('u3')] }, '/Groups'),
      post('u2', {}),
      { method: 'DELETE', path: '/Users/someone' },
      post('u3', {}),
      patch('/Groups/bulkId:g', member('u4')),
      post('u4', {}),
    ];
    expect(order(ops)).toEqual(['0', '2', '4', '1', '3', '6', '5']);
  });

  it('fails both groups of the RFC 7644 §3.7.1 circular example, naming the cycle', () => {
    const { steps } = planBulk(parseBulkRequest(circular.request, 10).operations);
    expect(steps).toEqual([
      { index: 0, circular: ['ytrewq'] },
      { index: 1, circular: ['qwerty'] },
    ]);
  });

  it('finds longer cycles and self-references, and runs what merely depends on them (to fail when resolved)', () => {
    const ops = [
      post('a', { members: [member('b')] }, '/Groups'),
      post('b', { members: [member('c')] }, '/Groups'),
      post('c', { members: [member('a')] }, '/Groups'),
      patch('/Groups/bulkId:a', member('x')),
      post('self', { members: [member('self')] }, '/Groups'),
      post('x', {}),
    ];
    expect(order(ops)).toEqual(['0!', '1!', '2!', '5', '3', '4!']);
  });

  it('plans a chain of 10,000 references without recursion', () => {
    const ops = Array.from({ length: 10_000 }, (_, i) => post(`b${i}`, { manager: { value: `bulkId:b${i + 1}` } }));
    const steps = planBulk(parseBulkRequest(envelope(ops), 10_000).operations).steps;
    expect(steps.map((s) => s.index)).toEqual(Array.from({ length: 10_000 }, (_, i) => 9999 - i));
  });

  it('lists the bulkIds of all POSTs, valid or not', () => {
    expect([
      ...planBulk(
        parse([post('a', {}), { method: 'POST', path: '/Users', bulkId: 'b' }, { method: 'DELETE', path: '/Users/1', bulkId: 'c' }]),
      ).posted,
    ]).toEqual(['a', 'b']);
  });
});

describe(resolveReferences.name, () => {
  const [op] = parse([
    {
      method: 'PUT',
      path: '/Groups/bulkId:g',
      data: { displayName: 'bulkId:', members: [member('u'), { value: 'u0' }], nested: { deep: ['bulkId:m'] }, 'bulkId:key': 1 },
    },
  ]) as [BulkOperation];

  it('replaces whole "bulkId:" values in the path and at any depth of the data, never keys or the bare prefix', () => {
    expect(referencesOf(op)).toEqual(['g', 'u', 'm']);
    const resolved = resolveReferences(
      op,
      new Map([
        ['g', 'G'],
        ['u', 'U'],
        ['m', 'M'],
      ]),
      new Set(['g', 'u', 'm']),
    );
    expect(resolved).toMatchObject({
      id: 'G',
      target: { id: 'G' },
      data: { displayName: 'bulkId:', members: [{ value: 'U' }, { value: 'u0' }], nested: { deep: ['M'] }, 'bulkId:key': 1 },
    });
    expect(op.id).toBe('bulkId:g');
  });

  it('answers 409 for a reference whose POST failed, and for one no POST has', () => {
    expect(scimErrorOf(() => resolveReferences(op, new Map([['g', 'G']]), new Set(['g', 'u'])))).toMatchObject({
      status: 409,
      detail: expect.stringMatching(/"bulkId:u" cannot be resolved: the POST with that bulkId did not succeed/),
    });
    expect(scimErrorOf(() => resolveReferences(op, new Map([['g', 'G']]), new Set(['g'])))).toMatchObject({
      status: 409,
      detail: expect.stringMatching(/"bulkId:u" cannot be resolved: no POST in this request has that bulkId/),
    });
  });

  it('returns an operation without references as it is', () => {
    const [plain] = parse([{ method: 'DELETE', path: '/Users/1' }]) as [BulkOperation];
    expect(resolveReferences(plain, new Map(), new Set())).toBe(plain);
  });
});

describe(bulkResponse.name, () => {
  it('lists results in request order with status strings, as RFC 7644 §3.7.3 shows', () => {
    const ops = parse(multiple.request.Operations);
    const base = 'https://example.com/v2';
    const results = new Map([
      [3, bulkSuccess(ops[3]!, 204, `${base}/Users/e9025315-6bea-44e1-899c-1e07454e468b`)],
      [0, bulkSuccess(ops[0]!, 201, `${base}/Users/92b725cd9465`, 'W/"oY4m4wn58tkVjJxK"')],
      [2, bulkSuccess(ops[2]!, 200, `${base}/Users/5d8d29d3-342c-4b5f-8683-a3cb6763ffcc`, 'W/"huJj29dMNgu3WXPD"')],
      [1, bulkSuccess(ops[1]!, 200, `${base}/Users/b7c14771-226c-4d05-8860-134711653041`, 'W/"huJj29dMNgu3WXPD"')],
    ]);
    expect(bulkResponse(results)).toEqual(multiple.response);
  });
});
