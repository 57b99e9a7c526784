import { z } from 'zod';
import type { Sql, Statement } from '../../platform/sql';

/**
 * A scalar subquery for another module's statement: the time zone of the practice `practiceId`
 * names (an SQL expression of type uuid), NULL when there is no such practice. The table is
 * qualified by its own name, which no caller's alias can shadow (only this module names it).
 */
export function practiceTimeZone(practiceId: string): string {
  return `(SELECT practices.time_zone FROM practices WHERE practices.id = ${practiceId})`;
}

/** A practice's name and zone (what mail on its behalf is written with). */
const PRACTICE_NAME: Statement = {
  name: 'practices_name',
  text: `SELECT name, time_zone FROM practices WHERE id = $1::uuid`,
};

const NameRow = z.object({ name: z.string(), time_zone: z.string() });

/** The practice's name and time zone; null when there is no such practice. `practiceId` must be a UUID. */
export async function readPracticeName(sql: Sql, practiceId: string): Promise<{ name: string; timeZone: string } | null> {
  const [raw] = await sql.query(PRACTICE_NAME, [practiceId]);
  if (raw === undefined) return null;
  const row = NameRow.parse(raw);
  return { name: row.name, timeZone: row.time_zone };
}
