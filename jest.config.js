/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest'] },
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/local/**/*.test.ts', '<rootDir>/test/**/*.test.ts', '<rootDir>/static/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/static/[^/]+/build/', '/test/e2e/'],
  transformIgnorePatterns: ['/node_modules/(?!(@atlaskit)/)'],
};
