import type { ResourceTypeRef } from '../schema/registry';
import type { BoundFilter } from './ast';
import { bindFilter } from './bind-filter';
import { parseFilter } from './parse-filter';

/** The `filter` of a list request, parsed and bound; undefined (every resource) when there is none or it is blank. */
export const listFilter = (text: string | undefined, ref: ResourceTypeRef): BoundFilter | undefined =>
  text === undefined || text.trim() === '' ? undefined : bindFilter(parseFilter(text), ref);
