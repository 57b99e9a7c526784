// The architecture as rules (npm run check runs them): layers import downwards only, and no
// module or folder is part of an import cycle. Tests are left out: a test may reach across layers
// to set up what it checks (an e2e test seeds the database, a transport test uses a topic).
// bench/ and server/ import nothing of each other: the bench measures through the public protocol.
//   platform  <-  live, jobs, accounts  <-  audit  <-  graphql  <-  features  <-  transport, fhir  <-  composition (src/*.ts)
//   platform  <-  outbound (SMTP, webhook HTTP, the address guard)  <-  features, composition
const LAYERS = {
  platform: '^server/src/platform/',
  live: '^server/src/live/',
  jobs: '^server/src/jobs/',
  accounts: '^server/src/accounts/',
  outbound: '^server/src/outbound/',
  audit: '^server/src/audit/',
  graphql: '^server/src/graphql/',
  features: '^server/src/features/',
  transport: '^server/src/transport/',
  fhir: '^server/src/fhir/',
  composition: '^server/src/[^/]+\\.ts$|^server/src/scripts/',
};
const above = {
  platform: ['live', 'jobs', 'accounts', 'outbound', 'audit', 'graphql', 'features', 'transport', 'fhir', 'composition'],
  live: ['jobs', 'accounts', 'outbound', 'audit', 'graphql', 'features', 'transport', 'fhir', 'composition'],
  jobs: ['live', 'accounts', 'outbound', 'audit', 'graphql', 'features', 'transport', 'fhir', 'composition'],
  accounts: ['live', 'jobs', 'outbound', 'audit', 'graphql', 'features', 'transport', 'fhir', 'composition'],
  outbound: ['live', 'jobs', 'accounts', 'audit', 'graphql', 'features', 'transport', 'fhir', 'composition'],
  audit: ['live', 'jobs', 'outbound', 'graphql', 'features', 'transport', 'fhir', 'composition'],
  graphql: ['outbound', 'features', 'transport', 'fhir', 'composition'],
  features: ['transport', 'fhir', 'composition'],
  transport: ['outbound', 'features', 'fhir', 'composition'],
  // The FHIR facade is a transport over the features' services (their types and the services
  // object), beside transport/: neither imports the other.
  fhir: ['outbound', 'transport', 'composition'],
};

module.exports = {
  forbidden: [
    ...Object.entries(above).map(([layer, forbiddenLayers]) => ({
      name: `${layer}-imports-downwards-only`,
      comment: `server/src/${layer} may not import ${forbiddenLayers.join(', ')} (see docs/architecture.md)`,
      severity: 'error',
      from: { path: LAYERS[layer] },
      to: { path: forbiddenLayers.map((name) => LAYERS[name]).join('|') },
    })),
    {
      name: 'bench-speaks-the-public-protocol-only',
      comment:
        'bench/ measures CareLine from outside (HTTP, websocket, its own helpers in bench/src/support): it may not import server code or test helpers.',
      severity: 'error',
      from: { path: '^bench/' },
      to: { path: '^server/' },
    },
    {
      name: 'server-does-not-import-bench',
      comment: 'The server does not depend on the benchmark harness.',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^bench/' },
    },
    {
      name: 'no-module-cycle',
      comment: 'A module must not be part of an import cycle.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycle',
      comment: 'A folder must not be part of an import cycle with other folders.',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^server/src/generated/', '\\.test\\.ts$'] },
    tsPreCompilationDeps: true,
  },
};
