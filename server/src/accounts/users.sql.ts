import { z } from 'zod';
import { jsonColumn } from '../platform/sql-values';

/**
 * A scalar subquery for another module's statement: the name and email of the user `userId`
 * names (an SQL expression of type uuid: the caller's column or parameter), as one JSON object
 * `{"name", "email"}`, NULL when there is no such user. Decode it with UserContact. The table is
 * qualified by its own name, which no caller's alias can shadow (only this module names it).
 */
export function userContact(userId: string): string {
  return `(SELECT json_build_object('name', users.name, 'email', users.email) FROM users WHERE users.id = ${userId})`;
}

/** A userContact column, decoded (null: no such user). */
export const UserContact = jsonColumn(z.object({ name: z.string(), email: z.string() })).nullable();
