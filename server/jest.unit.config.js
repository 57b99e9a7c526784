// The pure tests only (npm run test:unit): every *.test.ts under src/ except *.int.test.ts, and no
// globalSetup, so they run in seconds without PostgreSQL or Redis. Same compilation as jest.config.js.
const { globalSetup: _setup, globalTeardown: _teardown, ...shared } = require('./jest.config.js');

module.exports = {
  ...shared,
  roots: ['<rootDir>/src'],
  testPathIgnorePatterns: ['/node_modules/', '\\.int\\.test\\.ts$'],
};
