import { GraphQLError } from 'graphql';
import { e164OrUndefined, parsePhone } from './phone-numbers';

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof GraphQLError ? [error.extensions.code, error.extensions.field] : ['thrown'];
  }
  return undefined;
};

describe('parsePhone', () => {
  it('stores what a user types as E.164', () => {
    expect(parsePhone(' +1 (415) 555-2671 ')).toBe('+14155552671');
    expect(parsePhone('+33 6 12 34 56 78')).toBe('+33612345678');
  });

  it('refuses a number without its country code, a too short one and an unknown country with BAD_USER_INPUT on phone', () => {
    expect(codeOf(() => parsePhone('0612345678'))).toEqual(['BAD_USER_INPUT', 'phone']);
    expect(codeOf(() => parsePhone('+1234'))).toEqual(['BAD_USER_INPUT', 'phone']);
    expect(codeOf(() => parsePhone('+999123456789'))).toEqual(['BAD_USER_INPUT', 'phone']);
    expect(codeOf(() => parsePhone(`+1${'4'.repeat(60)}`))).toEqual(['BAD_USER_INPUT', 'phone']);
  });

  it('reads an inbound sender only when it is a valid number', () => {
    expect(e164OrUndefined('+14155552671')).toBe('+14155552671');
    expect(e164OrUndefined('client:alice')).toBeUndefined();
  });
});
