import { GraphQLError } from 'graphql';
import { ErrorCode, findSqlState, mapDatabaseError } from './errors';
import { createErrorFormatter } from '../transport/format-error';
import { createLogger } from './logger';

describe('mapDatabaseError', () => {
  it('maps an exclusion violation anywhere in the cause chain to SLOT_UNAVAILABLE', () => {
    const driverError = { name: 'DriverAdapterError', cause: { originalCode: '23P01', kind: 'postgres' } };
    const prismaError = { name: 'PrismaClientKnownRequestError', code: 'P2010', meta: { driverAdapterError: driverError } };
    expect(mapDatabaseError(prismaError)?.extensions['code']).toBe(ErrorCode.SlotUnavailable);
    expect(mapDatabaseError(driverError)?.extensions['code']).toBe(ErrorCode.SlotUnavailable);
  });

  it('maps a unique violation (P2002 or 23505) to CONFLICT', () => {
    expect(mapDatabaseError({ code: 'P2002' })?.extensions['code']).toBe(ErrorCode.Conflict);
    expect(mapDatabaseError({ cause: { code: '23505' } })?.extensions['code']).toBe(ErrorCode.Conflict);
  });

  it('maps a text PostgreSQL cannot store (U+0000: 22021) to BAD_USER_INPUT, as the mutation fuzz found', () => {
    const prismaError = { code: 'P2039', meta: { driverAdapterError: { cause: { originalCode: '22021', kind: 'postgres' } } } };
    expect(mapDatabaseError(prismaError)?.extensions['code']).toBe(ErrorCode.BadUserInput);
  });

  it('leaves anything else unmapped, for the formatter to hide', () => {
    expect(mapDatabaseError(new Error('connection refused'))).toBeUndefined();
    expect(findSqlState({ code: 'P2025' })).toBeUndefined();
  });
});

describe('createErrorFormatter', () => {
  const logger = createLogger({ logLevel: 'silent' });

  it('hides an unexpected error behind INTERNAL_SERVER_ERROR with an id, no SQL and no stack', () => {
    const format = createErrorFormatter(logger, false);
    const leak = new Error('relation "users" does not exist: SELECT password_hash FROM users');
    const formatted = format({ message: leak.message, extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at db.ts:1'] } }, leak);
    expect(formatted.extensions?.['code']).toBe(ErrorCode.InternalServerError);
    expect(JSON.stringify(formatted)).not.toMatch(/SELECT|password_hash|stacktrace|db\.ts/);
    expect(formatted.message).toContain(String(formatted.extensions?.['errorId']));
  });

  it('passes our own errors through without a stack trace', () => {
    const format = createErrorFormatter(logger, true);
    const error = new GraphQLError('nope', { extensions: { code: ErrorCode.Forbidden } });
    expect(format({ message: 'nope', extensions: { code: ErrorCode.Forbidden, stacktrace: ['x'] } }, error)).toEqual({
      message: 'nope',
      extensions: { code: ErrorCode.Forbidden },
    });
  });

  it('turns GraphQL validation failures into BAD_USER_INPUT and keeps the original code as the reason', () => {
    const format = createErrorFormatter(logger, false);
    const formatted = format(
      { message: 'Cannot query field "x"', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
      new GraphQLError('x'),
    );
    expect(formatted.extensions).toEqual({ code: ErrorCode.BadUserInput, reason: 'GRAPHQL_VALIDATION_FAILED' });
  });
});
