import type { Bundle, Resource } from '@medplum/fhirtypes';
import { isUuid } from '../platform/validation';
import { invalid, notSupported } from './outcome';

/** `_count` when the client sends none, and the most one page holds. */
export const DEFAULT_COUNT = 50;
export const MAX_COUNT = 100;

/** Parameters every search accepts besides the type's own. */
const COMMON = ['_count', '_offset', '_cursor'] as const;

/** A search's parameters, checked: each known, single unless `repeatable`, with the page it asks for. */
export interface SearchRequest {
  readonly params: ReadonlyMap<string, readonly string[]>;
  readonly count: number;
  readonly offset: number;
  /** The single value of a parameter, or undefined. */
  one(name: string): string | undefined;
}

/**
 * Reads a search query string: an unknown parameter (or a modifier such as `name:exact`) is 400
 * `not-supported` rather than silently ignored, so a client never takes an unfiltered answer for a
 * filtered one; `_count` is 1..MAX_COUNT, `_offset` a whole number.
 */
export function parseSearch(
  query: Readonly<Record<string, unknown>>,
  supported: readonly string[],
  repeatable: readonly string[] = [],
): SearchRequest {
  const params = new Map<string, string[]>();
  for (const [name, raw] of Object.entries(query)) {
    if (!supported.includes(name) && !(COMMON as readonly string[]).includes(name)) {
      throw notSupported(`The search parameter '${name}' is not supported here (supported: ${[...supported, ...COMMON].join(', ')}).`);
    }
    const values = Array.isArray(raw) ? raw : [raw];
    if (!values.every((value): value is string => typeof value === 'string')) throw invalid(`The search parameter '${name}' is malformed.`);
    if (values.length > 1 && !repeatable.includes(name)) throw invalid(`The search parameter '${name}' may be given once.`);
    params.set(name, values);
  }
  const count = wholeNumber(params.get('_count')?.[0], '_count', DEFAULT_COUNT);
  if (count < 1 || count > MAX_COUNT) throw invalid(`_count must be from 1 to ${MAX_COUNT}.`);
  const offset = wholeNumber(params.get('_offset')?.[0], '_offset', 0);
  return { params, count, offset, one: (name) => params.get(name)?.[0] };
}

function wholeNumber(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,9}$/.test(value)) throw invalid(`${name} must be a whole number.`);
  return Number(value);
}

/**
 * The id a reference parameter names (`Patient/<id>` or `<id>`), or null when it names something of
 * another type or an id that cannot exist (then the search matches nothing).
 */
export function referencedId(value: string, type: string): string | null {
  const id = value.startsWith(`${type}/`) ? value.slice(type.length + 1) : value.includes('/') ? null : value;
  return id !== null && isUuid(id) ? id : null;
}

/** A date search value with its prefix (`ge2026-01-01`, `lt2026-01-02T10:00:00Z`; none means `eq`). */
export interface DateBound {
  readonly prefix: 'eq' | 'ge' | 'gt' | 'le' | 'lt';
  readonly at: Date;
}

export function parseDateBound(value: string, name: string): DateBound {
  const match = /^(eq|ge|gt|le|lt)?(\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2}))?)$/.exec(value);
  const at = match?.[2] ? new Date(match[2]) : undefined;
  if (!match || !at || Number.isNaN(at.getTime())) {
    throw invalid(`${name} must be a date or an instant with an optional prefix eq, ge, gt, le or lt (e.g. ge2026-01-01).`);
  }
  const prefix = (match[1] ?? 'eq') as DateBound['prefix'];
  return { prefix, at };
}

/** [from, to) from a date parameter's bounds; `eq` of a day means that day. */
export function dateRange(bounds: readonly DateBound[]): { from?: Date; to?: Date } {
  let from: Date | undefined;
  let to: Date | undefined;
  const later = (a: Date | undefined, b: Date) => (a && a > b ? a : b);
  const earlier = (a: Date | undefined, b: Date) => (a && a < b ? a : b);
  for (const { prefix, at } of bounds) {
    if (prefix === 'ge' || prefix === 'gt') from = later(from, prefix === 'gt' ? new Date(at.getTime() + 1) : at);
    else if (prefix === 'lt' || prefix === 'le') to = earlier(to, prefix === 'le' ? new Date(at.getTime() + 1) : at);
    else {
      from = later(from, at);
      to = earlier(to, new Date(at.getTime() + 86_400_000));
    }
  }
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

/**
 * Where the next page starts: an offset, or (lists the services page by cursor) the cursor the
 * service returned; null on the last page.
 */
export type NextPage = { readonly offset: number } | { readonly cursor: string } | null;

/** The next page of an offset-paged search of `pageSize` entries out of `total`. */
export function nextByOffset(search: SearchRequest, pageSize: number, total: number): NextPage {
  return search.offset + pageSize < total ? { offset: search.offset + pageSize } : null;
}

/** A searchset Bundle with `total`, and `self`/`next` links that keep the client's parameters. */
export function searchBundle(
  base: string,
  type: string,
  search: SearchRequest,
  resources: readonly Resource[],
  total: number,
  next: NextPage,
): Bundle {
  const link = (page: Record<string, string>) => {
    const query = new URLSearchParams();
    for (const [name, values] of search.params) if (!name.startsWith('_')) for (const value of values) query.append(name, value);
    query.set('_count', String(search.count));
    for (const [name, value] of Object.entries(page)) query.set(name, value);
    return `${base}/${type}?${query.toString()}`;
  };
  const self = search.one('_cursor') ?? null;
  const nextParams: Record<string, string> | null =
    next === null ? null : 'cursor' in next ? { _cursor: next.cursor } : { _offset: String(next.offset) };
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total,
    link: [
      { relation: 'self', url: link(self === null ? { _offset: String(search.offset) } : { _cursor: self }) },
      ...(nextParams ? [{ relation: 'next', url: link(nextParams) }] : []),
    ],
    entry: resources.map((resource) => ({
      fullUrl: `${base}/${resource.resourceType}/${resource.id ?? ''}`,
      resource,
      search: { mode: 'match' },
    })),
  };
}

/**
 * A searchset of a list the services return whole (the doctors directory, a window of free
 * slots): the page `_offset`/`_count` ask for, mapped to resources, with `total` and `next`.
 */
export async function pagedBundle<T>(
  base: string,
  type: string,
  search: SearchRequest,
  all: readonly T[],
  toResource: (item: T) => Resource | Promise<Resource>,
): Promise<Bundle> {
  const page = all.slice(search.offset, search.offset + search.count);
  const resources = await Promise.all(page.map(async (item) => toResource(item)));
  return searchBundle(base, type, search, resources, all.length, nextByOffset(search, page.length, all.length));
}
