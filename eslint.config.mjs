// Lint that earns its keep: floating promises, type-only imports, exhaustive switches, and the direction
// of imports (domain and services never reach Forge or I/O; the UIs reach the backend only through types).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// ESLint keeps only the last matching block's options for a rule, so each block lists every pattern it needs.
const PRODUCTION = [
  { group: ['**/local/**', '**/static/**', '@forge/ui'], message: 'Production code never depends on the local platform or the UIs (and UI Kit 1 is gone).' },
];
const DOMAIN = [
  { group: ['@forge/*'], message: 'The domain is pure: no Forge imports.' },
  { group: ['**/services/**', '**/infra/**', '**/resolvers/**', '**/contract/**', '**/contract'], message: 'The domain depends on nothing but itself.' },
  { group: ['node:*', 'fs', 'http', 'https', 'crypto'], message: 'The domain does no I/O.' },
];
const SERVICES = [
  { group: ['@forge/*'], message: 'Services take ports; Forge lives in infra/.' },
  { group: ['**/infra/**', '**/resolvers/**', '**/app/**'], message: 'Services depend on ports, not on adapters or the composition root.' },
  { group: ['./*-service', '../services/*-service'], message: 'A service does not import another service: what two share belongs to the domain.' },
];
const INFRA = [
  { group: ['**/services/**'], message: 'Adapters implement ports: they import port types only (`import type`); shared rules live in the domain.', allowTypeImports: true },
];
// Entry points (resolvers, triggers, consumers) take their services from the composition root, `src/app/`.
const ENTRY = [
  { group: ['**/infra/**', '**/services/*-service'], message: 'Entry points take their services from src/app/container.ts.', allowTypeImports: true },
];

export default tseslint.config(
  {
    ignores: ['node_modules/**', '**/build/**', 'dist/**', 'coverage/**', 'test-results/**', 'playwright-report/**', '*.config.js', '*.config.mjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...PRODUCTION] }] },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...PRODUCTION, ...DOMAIN] }] },
  },
  {
    files: ['src/infra/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...PRODUCTION, ...INFRA] }] },
  },
  {
    files: ['src/resolvers/**/*.ts', 'src/triggers/**/*.ts', 'src/consumers/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...PRODUCTION, ...ENTRY] }] },
  },
  {
    files: ['src/services/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...PRODUCTION, ...SERVICES] }] },
  },
  {
    // A service's tests sit beside it and import it; every other direction still holds for them.
    files: ['src/services/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...PRODUCTION, ...SERVICES.filter((p) => !p.group.includes('./*-service'))] }] },
  },
  {
    // The local platform drives the app through its seams and the manifest; it may read the contract and the
    // domain's pure rules (to validate site files as the app would), never services, resolvers or adapters.
    files: ['local/**/*.ts'],
    ignores: ['local/app/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [
      { group: ['**/src/**', '!**/src/contract', '!**/src/contract/**', '!**/src/domain', '!**/src/domain/**'], message: 'local/ reaches the app through its seams; it imports only the contract and the domain from src/.' },
    ] }] },
  },
  {
    files: ['static/**/*.ts', 'static/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/src/**', '!**/src/contract', '!**/src/contract/**'], message: 'UIs reach the backend only through the contract.' },
        { group: ['**/src/contract/schemas'], message: 'The schemas carry zod, which UI bundles must not: take limits and types from the contract.', allowTypeImports: true },
        { group: ['@forge/api', '@forge/kvs', '@forge/resolver', '@forge/ui'], message: 'Backend SDKs do not belong in a UI bundle.' },
      ] }],
    },
  },
);
