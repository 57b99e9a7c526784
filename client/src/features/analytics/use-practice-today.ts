import { useEffect, useState } from 'react';
import { print } from 'graphql';
import type { Client } from 'graphql-ws';
import type { PracticeTodaySubscription } from '../../__generated__/graphql';
import { PRACTICE_TODAY } from './analytics.graphql';

export type TodayBoard = PracticeTodaySubscription['practiceToday'];

/**
 * practiceToday's latest board (the server sends the current one at once, then one after every
 * committed change): no cursor to resume, so graphql-ws simply subscribes again after a reconnect
 * and the first board brings the page up to date. `problem` holds the server's refusal, if any.
 */
export function usePracticeToday(wsClient: Client, practiceId: string): { board: TodayBoard | null; problem: string | null } {
  const [board, setBoard] = useState<TodayBoard | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    setBoard(null);
    setProblem(null);
    return wsClient.subscribe<PracticeTodaySubscription>(
      { query: print(PRACTICE_TODAY), variables: { practiceId } },
      {
        next: (result) => {
          if (result.errors?.length) setProblem(result.errors[0]?.message ?? 'The live board was refused.');
          else if (result.data) setBoard(result.data.practiceToday);
        },
        error: () => setProblem('The live board is not available right now.'),
        complete: () => undefined,
      },
    );
  }, [wsClient, practiceId]);
  return { board, problem };
}
