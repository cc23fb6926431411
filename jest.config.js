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
  testTimeout: 30000,
  maxWorkers: 2,
};
