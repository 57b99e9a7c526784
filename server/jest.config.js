// Unit (*.test.ts), integration (*.int.test.ts) and end-to-end (test/e2e) tests in one run.
// swc compiles TypeScript with decorator metadata (type-graphql needs it); jose ships ESM only,
// so it is compiled too. globalSetup creates one fresh PostgreSQL database for the run.
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    target: 'es2022',
    keepClassNames: true,
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
  },
  module: { type: 'commonjs', ignoreDynamic: true },
};

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', swc] },
  transformIgnorePatterns: ['/node_modules/(?!(jose|@scure/base|@noble/hashes|oidc-provider|openid-client|oauth4webapi)/)'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  testTimeout: 60000,
  // Three on a 2-core machine: most files wait on servers, child processes, the database and
  // timers more than they compute. The whole suite on this project's 2-core CI machine: 537 s
  // with 2 workers, 351 s with 3, 340 s with 4 (2026-12-04).
  maxWorkers: 3,
};
