// The GraphQL playground at GET /graphql: GraphiQL bundled from npm (works offline), with the
// schema docs, a header editor prefilled for Authorization, and subscriptions over graphql-ws.
import './monaco-workers';
import 'graphiql/style.css';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { createClient } from 'graphql-ws';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { readSession } from '../session';
import { graphqlUrls } from '../urls';

const urls = graphqlUrls(window.location);
// Opened from a signed-in tab (the header's "API playground" link), the token is filled in.
const session = readSession();
const HEADERS_HINT = JSON.stringify({ Authorization: `Bearer ${session?.token ?? '<token from the login mutation>'}` }, null, 2);

/** Headers typed in the editor reach the socket too: graphql-ws sends them as connectionParams. */
let socketAuthorization: string | undefined;

const fetcher = createGraphiQLFetcher({
  url: urls.http,
  wsClient: createClient({
    url: urls.ws,
    lazy: true,
    connectionParams: () => (socketAuthorization ? { authorization: socketAuthorization } : {}),
  }),
});

const DEFAULT_QUERY = `# Sign in first: run "login", copy the token into the Headers tab, then try the others.
mutation Login {
  login(email: "dr.chen@careline.demo", password: "careline-demo") {
    token
    user { id role doctor { id name } }
  }
}

query MyPatients($doctorId: ID!) {
  doctorPatients(doctorId: $doctorId, first: 10) {
    totalCount
    edges { node { id name appointments { startsAt reason } } }
  }
}

subscription LivePatients($doctorId: ID!) {
  patientAdded(doctorId: $doctorId) {
    cursor firstVisit
    patient { id name }
    appointment { startsAt reason }
  }
}
`;

/**
 * Where GraphiQL keeps its tabs and history: this tab's sessionStorage (in memory when that is
 * disabled), never localStorage, so a shared clinic computer forgets them with the tab. Headers,
 * which hold the bearer token, are never kept: shouldPersistHeaders stays off for the tabs, and
 * this storage also drops every `headers` property of what it is given (GraphiQL's history saves
 * each run's headers regardless of that switch).
 */
function tabStorage(): Storage {
  let base: Storage;
  try {
    base = window.sessionStorage;
  } catch {
    base = memoryStorage();
  }
  return {
    get length() {
      return base.length;
    },
    clear: () => base.clear(),
    getItem: (key) => base.getItem(key),
    key: (index) => base.key(index),
    removeItem: (key) => base.removeItem(key),
    setItem: (key, value) => {
      if (/headers$/i.test(key)) return;
      base.setItem(key, withoutHeaders(String(value)));
    },
  };
}

/** The JSON text with every `headers` property removed; other text as it is. */
function withoutHeaders(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), (name, value: unknown) => (name === 'headers' ? undefined : value));
  } catch {
    return text;
  }
}

function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, String(value)),
  };
}

// Links can open the playground on an operation: /graphql?query=...&variables=...
const params = new URLSearchParams(window.location.search);

createRoot(document.getElementById('playground')!).render(
  <StrictMode>
    <GraphiQL
      fetcher={(params, options) => {
        const headers = options?.headers ?? {};
        const authorization = Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
        socketAuthorization = typeof authorization === 'string' ? authorization : undefined;
        return fetcher(params, options);
      }}
      defaultQuery={DEFAULT_QUERY}
      initialQuery={params.get('query') ?? undefined}
      initialVariables={params.get('variables') ?? undefined}
      initialHeaders={HEADERS_HINT}
      defaultEditorToolsVisibility="headers"
      storage={tabStorage()}
      shouldPersistHeaders={false}
    />
  </StrictMode>,
);
