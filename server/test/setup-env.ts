// Runs in every test worker before the tests: reflect-metadata must load before any type-graphql class.
import 'reflect-metadata';

// oidc-provider warns at import on Node 20 that it prefers Node 22 (it runs, and is tested, on 20:
// ../shared/STACK.md). In a test run that is the same warning in every file's output, burying the
// ones that matter; only that exact notice is dropped.
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].includes('oidc-provider WARNING: Unsupported runtime')) return;
  warn(...args);
};
