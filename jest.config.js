// One jest run for the whole repository: unit tests, integration tests against the real stack, e2e.
const fs = require('node:fs');
const path = require('node:path');

const swc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
delete swc.$schema;

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', swc], '/node_modules/jose/.+\\.js$': ['@swc/jest', swc] },
  // jose 6 ships ES modules only: Node 20 requires them natively (require(esm)), jest's module loader does not
  // before Node 24.9, so jest compiles them to CommonJS like the TypeScript.
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^@linli/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts' },
  testPathIgnorePatterns: ['/node_modules/', '/.linli/', '/dist/'],
};

// Suites that talk to Kafka, MongoDB and Redis get the infrastructure from the harness once per run.
const withStack = {
  ...shared,
  globalSetup: '<rootDir>/libs/testing/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/jest/global-teardown.ts',
  setupFiles: ['<rootDir>/libs/testing/src/jest/setup-env.ts'],
  setupFilesAfterEnv: ['<rootDir>/libs/testing/src/jest/namespace-per-file.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  maxWorkers: 2,
  testTimeout: 120_000,
  reporters: ['default', '<rootDir>/tools/jest/summary-reporter.js'],
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{libs,services,tests,deploy}/**/*.spec.ts'] },
    {
      ...withStack,
      displayName: 'integration',
      testMatch: ['<rootDir>/{libs,services,deploy}/**/*.int-spec.ts'],
    },
    { ...withStack, displayName: 'e2e', testMatch: ['<rootDir>/tests/e2e/**/*.e2e-spec.ts'] },
  ],
};
