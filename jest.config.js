// Jest runs the TypeScript sources directly as ESM. ts-jest only transpiles (isolatedModules in
// tsconfig); `npm run lint` type-checks. (Jest 29 + ts-jest rather than Jest 30 + swc: every package
// of that tree, optional platform binaries included, must be installable with `npm ci` here.)
export default {
  testEnvironment: '<rootDir>/test/support/jest-environment.cjs',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: { module: 'ESNext', moduleResolution: 'Bundler', target: 'ES2022', isolatedModules: true, verbatimModuleSyntax: false } }],
  },
  // A test without a timeout of its own: 60 s, not 30. A card login is 2-8 s under CI load (2 cores, 2 workers, a
  // Chromium or an initdb beside), and tests of three logins took 20 s at load 22; the bound only stops a hang.
  testTimeout: 60000,
  maxWorkers: 2,
};
