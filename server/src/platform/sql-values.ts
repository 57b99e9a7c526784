import { z } from 'zod';

/**
 * A PostgreSQL int8 as raw SQL hands it back: a string from `pg`, a bigint or number from PGlite
 * and Prisma. Decoded to bigint.
 */
export const int8 = z.union([z.bigint(), z.string().regex(/^-?\d+$/), z.number().int()]).transform((value) => BigInt(value));

/** A timestamptz: a Date from every driver, or ISO text. */
export const timestamp = z.union([z.date(), z.string().transform((text) => new Date(text))]);

/** A json or jsonb column: parsed by `pg` and Prisma, handed back as text by raw queries on PGlite. */
export const jsonColumn = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === 'string' ? JSON.parse(value) : value), schema);
