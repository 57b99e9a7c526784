// @vitest-environment happy-dom
// The patient's "join a practice" form against a MockLink, no server: the code goes to
// acceptInvitation, and a refused code is explained in plain words under the field, which gets
// the focus back.
import { createRoot, type Root } from 'react-dom/client';
import { ApolloClient } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import { MockLink } from '@apollo/client/testing';
import { GraphQLError } from 'graphql';
import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCache } from '../../apollo';
import { ACCEPT_INVITATION } from './account.graphql';
import { CODE_REFUSED, JoinPracticeForm } from './join-practice-form';

// React warns about act() outside an environment that declares it.
Object.assign(globalThis, { IS_REACT_ACT_ENVIRONMENT: true });

describe('joining a practice with an invitation code', () => {
  let container: HTMLDivElement;
  let root: Root;
  afterEach(() => {
    root.unmount();
    container.remove();
  });

  function render(mocks: ConstructorParameters<typeof MockLink>[0]) {
    container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
    act(() =>
      root.render(
        <ApolloProvider client={new ApolloClient({ link: new MockLink(mocks), cache: createCache() })}>
          <JoinPracticeForm />
        </ApolloProvider>,
      ),
    );
  }
  const field = () => container.querySelector<HTMLInputElement>('#join-practice-code')!;
  const submitCode = (code: string) => {
    const input = field();
    act(() => {
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, code);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    act(() => container.querySelector<HTMLButtonElement>('button[type="submit"]')!.click());
  };

  it('labels the field and confirms the practice was joined', async () => {
    render([{ request: { query: ACCEPT_INVITATION, variables: { code: 'good-code' } }, result: { data: { acceptInvitation: true } } }]);
    expect(container.querySelector('label[for="join-practice-code"]')?.textContent).toBe('Invitation code');

    submitCode(' good-code ');

    await vi.waitFor(() => expect(container.querySelector('[role="status"]')?.textContent).toMatch(/You joined the practice/), {
      timeout: 2000,
    });
    expect(field().value).toBe('');
  });

  it('explains a refused code in plain words, tied to the field, and puts the focus back on it', async () => {
    render([
      {
        request: { query: ACCEPT_INVITATION, variables: { code: 'used-code' } },
        result: { errors: [new GraphQLError('not valid (wrong, used, withdrawn or expired)', { extensions: { code: 'FORBIDDEN' } })] },
      },
    ]);

    submitCode('used-code');

    await vi.waitFor(() => expect(container.querySelector('[role="alert"]')?.textContent).toBe(CODE_REFUSED), { timeout: 2000 });
    expect(field().getAttribute('aria-describedby')).toBe('join-practice-code-error');
    expect(field().getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(field());
  });
});
