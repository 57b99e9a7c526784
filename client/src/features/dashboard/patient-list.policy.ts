import type { FieldPolicy, Reference } from '@apollo/client';

interface StoredConnection {
  readonly edges: ReadonlyArray<{ readonly cursor: string; readonly node: Reference }>;
  readonly pageInfo: unknown;
  readonly totalCount: number;
}

/**
 * Query.doctorPatients: one cached list per doctor (`first`/`after` only page it). A page fetched
 * with `after` ("load more") is appended, skipping patients already shown (one may have moved to
 * the top live); anything else (first page, a live merge written back) replaces the list.
 */
export const patientConnectionPolicy: FieldPolicy<StoredConnection> = {
  keyArgs: ['doctorId'],
  merge(existing, incoming, { args, readField }) {
    if (!existing || !args?.['after']) return incoming;
    const shown = new Set(existing.edges.map((edge) => readField<string>('id', edge.node)));
    return {
      ...incoming,
      edges: [...existing.edges, ...incoming.edges.filter((edge) => !shown.has(readField<string>('id', edge.node)))],
    };
  },
};
