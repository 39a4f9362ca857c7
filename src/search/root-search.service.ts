import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/env';
import type { ListQuery } from '../database/list-support';
import { GroupsService } from '../groups/groups.service';
import type { ScimContext } from '../http/scim-context.decorator';
import { StreamedList } from '../http/scim-result';
import { listFilter, listResponse, ListResponse, resolvePath, ResourceTypeRef, ScimError, ScimResource } from '../scim';
import { UsersService } from '../users/users.service';

type Listed = ListResponse<ScimResource> | StreamedList;
const listOf = (r: Listed) => (r instanceof StreamedList ? r.list : r);
const streamsOf = (r: Listed) => (r instanceof StreamedList ? r.streams : r.Resources.map(() => undefined));

/** A root cursor: the resource type it is in, then that type's own cursor (RFC 3986 unreserved characters only). */
const SEPARATOR = '~';

/**
 * `POST /.search` at the service root (RFC 7644 §3.4.3): one list over Users, then Groups, with the semantics of each
 * type's own search. A type takes part when the filter names only attributes it has (so `userName eq "x"` searches
 * Users alone); one that lacks the sortBy attribute is listed in its creation order after the sorted ones. Index
 * pages run across the types as one sequence; a cursor page stays within one type and its nextCursor moves on to the
 * next type.
 */
@Injectable()
export class RootSearchService {
  constructor(
    private readonly users: UsersService,
    private readonly groups: GroupsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async search(q: ListQuery, ctx: ScimContext): Promise<Listed> {
    const types = this.typesFor(q.filter);
    const query = (type: ResourceTypeRef, over: Partial<ListQuery>): ListQuery => {
      const sortable = q.sortBy === undefined || resolvePath(type, q.sortBy) !== undefined;
      return { ...q, ...(sortable ? {} : { sortBy: undefined, sortOrder: undefined }), ...over };
    };
    const list = (type: ResourceTypeRef, over: Partial<ListQuery>) =>
      type === 'User' ? this.users.list(query(type, over), ctx) : this.groups.list(query(type, over), ctx);
    return q.cursor === undefined ? this.indexPage(types, q, list) : this.cursorPage(types, q.cursor, list);
  }

  /** The types the filter can be evaluated on; its error when none can (a syntax error fails them all). */
  private typesFor(filter: string | undefined): ResourceTypeRef[] {
    const errors: unknown[] = [];
    const types = (['User', 'Group'] as const).filter((type) => {
      try {
        listFilter(filter, type);
        return true;
      } catch (e) {
        errors.push(e);
        return false;
      }
    });
    if (types.length === 0) {
      throw errors[0];
    }
    return types;
  }

  /** startIndex and count over the types' results one after the other. */
  private async indexPage(types: ResourceTypeRef[], q: ListQuery, list: (t: ResourceTypeRef, o: Partial<ListQuery>) => Promise<Listed>) {
    let skip = Math.max(1, Math.trunc(q.startIndex ?? 1)) - 1;
    let room = Math.min(Math.max(0, Math.trunc(q.count ?? this.config.scimMaxResults)), this.config.scimMaxResults);
    let total = 0;
    const pages: Listed[] = [];
    for (const type of types) {
      const page = await list(type, { startIndex: skip + 1, count: room });
      const { totalResults, Resources } = listOf(page);
      total += totalResults;
      pages.push(page);
      skip = Math.max(0, skip - totalResults);
      room -= Resources.length;
    }
    return merged(pages, total, { startIndex: Math.max(1, Math.trunc(q.startIndex ?? 1)) });
  }

  /** A page of one type, and a cursor to its next page or to the first page of the next type. */
  private async cursorPage(types: ResourceTypeRef[], cursor: string, list: (t: ResourceTypeRef, o: Partial<ListQuery>) => Promise<Listed>) {
    const at = cursor.indexOf(SEPARATOR);
    const type = cursor === '' ? types[0] : types.find((t) => t === cursor.slice(0, at));
    if (type === undefined) {
      throw ScimError.invalidCursor('The cursor is not one this server issued for this search; send an empty cursor for the first page');
    }
    const page = await list(type, { cursor: cursor === '' ? '' : cursor.slice(at + 1) });
    const { nextCursor, previousCursor } = listOf(page);
    const following = types[types.indexOf(type) + 1];
    let total = listOf(page).totalResults;
    for (const other of types.filter((t) => t !== type)) {
      total += listOf(await list(other, { count: 0, cursor: undefined })).totalResults;
    }
    return merged([page], total, {
      ...(nextCursor !== undefined
        ? { nextCursor: `${type}${SEPARATOR}${nextCursor}` }
        : following && { nextCursor: `${following}${SEPARATOR}` }),
      ...(previousCursor !== undefined && { previousCursor: `${type}${SEPARATOR}${previousCursor}` }),
    });
  }
}

/** One ListResponse of the pages' resources, streamed when any page streams its teams' members. */
function merged(pages: Listed[], total: number, position: Parameters<typeof listResponse>[2]): Listed {
  const list = listResponse(
    pages.flatMap((p) => listOf(p).Resources),
    total,
    position,
  );
  return pages.some((p) => p instanceof StreamedList) ? new StreamedList(list, pages.flatMap(streamsOf)) : list;
}
