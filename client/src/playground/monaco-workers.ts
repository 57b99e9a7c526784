// GraphiQL 5's editors (Monaco) run their language services in web workers. This is
// graphiql/setup-workers/vite, kept in our source: imported from inside a dependency, the
// `?worker` imports break Vite's dev pre-bundler; from here Vite's worker plugin bundles them.
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker.js?worker';
import JsonWorker from 'monaco-editor/esm/vs/language/json/json.worker.js?worker';
import GraphQLWorker from 'monaco-graphql/esm/graphql.worker.js?worker';

interface MonacoEnvironment {
  getWorker(workerId: string, label: string): Worker;
}

// Monaco reads this global to start its workers.
(globalThis as { MonacoEnvironment?: MonacoEnvironment }).MonacoEnvironment = {
  getWorker(_workerId, label) {
    if (label === 'json') return new JsonWorker();
    if (label === 'graphql') return new GraphQLWorker();
    return new EditorWorker();
  },
};
