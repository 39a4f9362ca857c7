import { ScimError } from '../errors';
import { ResolvedPath, resolvePath, resourceType, ResourceTypeRef, sameName } from '../schema/registry';

/** RFC 7644 §3.4.2.3: the attribute to sort by (none: the server's stable order, creation), and the direction. */
export interface Sort {
  readonly path?: ResolvedPath;
  readonly descending: boolean;
}

/**
 * Whether results can be ordered by this attribute: a single value of a simple type, stored with the resource.
 * Multi-valued attributes, complex ones (sort by a sub-attribute), binary values, the never-returned password and
 * the derived meta.location and meta.version are not sortable.
 */
export function isSortable(rp: ResolvedPath): boolean {
  const leaf = rp.sub ?? rp.attribute;
  const derivedMeta = rp.attribute.name === 'meta' && (leaf.name === 'location' || leaf.name === 'version');
  return !rp.attribute.multiValued && leaf.type !== 'complex' && leaf.type !== 'binary' && leaf.returned !== 'never' && !derivedMeta;
}

/** The sort a list request asks for; 400 invalidValue for an unknown or unsortable attribute or a bad sortOrder. */
export function resolveSort(ref: ResourceTypeRef, sortBy: string | undefined, sortOrder: string | undefined): Sort {
  const order = sortOrder?.trim() ?? '';
  if (order !== '' && !sameName(order, 'ascending') && !sameName(order, 'descending')) {
    throw ScimError.invalidValue(`sortOrder must be "ascending" or "descending"; got ${JSON.stringify(sortOrder)}`);
  }
  const descending = sameName(order, 'descending');
  const by = sortBy?.trim() ?? '';
  if (by === '') {
    return { descending };
  }
  const rt = resourceType(ref);
  const path = resolvePath(rt, by);
  if (!path) {
    throw ScimError.invalidValue(`sortBy: '${by}' is not an attribute of ${rt.name}`);
  }
  if (!isSortable(path)) {
    throw ScimError.invalidValue(
      `sortBy: '${path.path}' cannot be sorted by; sort by a single-valued attribute or sub-attribute such as userName or name.familyName`,
    );
  }
  return { path, descending };
}
