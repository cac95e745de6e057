import { ByteBoundedCache } from "./cache.js";
import { compileMemberQuery } from "./member-search.js";
import type { OrganizationSource } from "./seed.js";

/**
 * The positions a list's filters keep, in order, cached by filter: a search scans the whole list,
 * and paging through its result repeats the filter on every page.
 */
export class ListFilters {
  readonly #lists: ByteBoundedCache<Uint32Array>;

  constructor(maxBytes: number) {
    this.#lists = new ByteBoundedCache(maxBytes, (list) => list.byteLength);
  }

  get bytes(): number {
    return this.#lists.bytes;
  }

  /** The members a `query` keeps; `undefined` for every member. */
  members(source: OrganizationSource, search: string | null): Uint32Array | undefined {
    if (!search) return undefined;
    return this.#lists.get(JSON.stringify([source.organization.id, "members", search]), () => {
      const matches = compileMemberQuery(search);
      const { members } = source;
      const found: number[] = [];
      if (matches) for (let i = 0; i < members.count; i++) if (matches(members.searchFields(i))) found.push(i);
      return Uint32Array.from(found);
    });
  }

  /** The repositories `status` (default `active`), `query` (in the name) and `integration_id` keep. */
  repositories(source: OrganizationSource, query: URLSearchParams): Uint32Array {
    const status = query.get("status") ?? "active";
    const name = query.get("query")?.toLowerCase();
    const integration = query.get("integration_id");
    const key = JSON.stringify([source.organization.id, "repos", status, name, integration]);
    return this.#lists.get(key, () => {
      const found: number[] = [];
      for (const [i, repository] of source.repositories.entries()) {
        // An empty status= or integration_id= applies no filter, as on sentry.io.
        const statusMatches =
          status === "" ||
          (status === "active"
            ? repository.status === "active"
            : status === "deleted" && repository.status !== "active");
        const keep =
          statusMatches &&
          (name === undefined || repository.name.toLowerCase().includes(name)) &&
          (!integration || repository.integrationId === integration);
        if (keep) found.push(i);
      }
      return Uint32Array.from(found);
    });
  }
}
