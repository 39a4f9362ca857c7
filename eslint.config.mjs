// A small rule set (STYLE.md §37-38): promise safety, exhaustive switches, strict equality, braces, no committed
// focused or skipped tests, and the boundary that keeps src/scim free of frameworks. Formatting is Prettier's job.
import jest from 'eslint-plugin-jest';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const TS_FILES = ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'ormconfig.ts'];
const PLATFORM = '^(express|fastify)(/|$)|^@fastify/|^@nestjs/platform-';
const TEST_FILES = ['src/**/*.spec.ts', 'test/**/*.ts'];

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'jest.config.js'] },
  {
    files: TS_FILES,
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // A default: branch counts; the filter AST's switches end in assertNever, which the compiler checks.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      eqeqeq: ['error', 'always'],
      curly: ['error', 'all'],
    },
  },
  {
    files: TEST_FILES,
    plugins: { jest },
    rules: {
      'jest/no-focused-tests': 'error',
      'jest/no-disabled-tests': 'error',
    },
  },
  {
    // DESIGN.md: only src/http/platform/ knows the HTTP platform; everything else uses Nest's neutral APIs.
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    ignores: ['src/http/platform/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: PLATFORM, message: 'Only src/http/platform/ may import the HTTP platform.' }] },
      ],
    },
  },
  {
    // STYLE.md §2: the protocol core imports nothing from Nest, TypeORM, class-validator or our modules.
    files: ['src/scim/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: PLATFORM, message: 'Only src/http/platform/ may import the HTTP platform.' },
            {
              group: ['@nestjs/*', 'typeorm', 'class-validator', '**/users/*', '**/groups/*', '**/database/*'],
              message: 'src/scim is the pure protocol core: no framework, ORM or feature-module imports (STYLE.md §2).',
            },
          ],
        },
      ],
    },
  },
);
