// Lint: typescript-eslint's recommended rules over src/, test/ and scripts/. Layering is checked by
// dependency-cruiser (.dependency-cruiser.cjs) over the whole import graph; formatting by Prettier.
import eslint from '@eslint/js'
import tseslint from 'typescript-eslint'
import coreFiles from './core-files.cjs'

/** What a core file may not reach for: the clock, timers, the process (imports are dependency-cruiser's). */
const IMPURE_GLOBALS = ['process', 'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'performance', 'fetch'].map(
  (name) => ({name, message: `core stages are pure (core-files.cjs): take what ${name} gives as an argument from app/.`}),
)
const CLOCK = 'core stages are pure (core-files.cjs): take the time as an argument (a `now` option) from app/.'

export default tseslint.config(
  {ignores: ['dist/**', 'dist.tmp*/**', 'node_modules/**', 'coverage/**', 'test/**/fixtures/**/*.js']},
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        structuredClone: 'readonly',
        queueMicrotask: 'readonly',
        setImmediate: 'readonly',
        performance: 'readonly',
        fetch: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none'}],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Stripping control characters from what reaches a terminal is this project's business.
      'no-control-regex': 'off',
    },
  },
  {
    files: coreFiles.CORE_FILES,
    rules: {
      'no-restricted-globals': ['error', ...IMPURE_GLOBALS],
      'no-restricted-syntax': [
        'error',
        {selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: CLOCK},
        {selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: CLOCK},
        {selector: "CallExpression[callee.name='Date']", message: CLOCK},
      ],
    },
  },
  {
    // Tests poke at untyped JSON answers; `any` there is a reading aid, not a design.
    files: ['test/**/*.ts'],
    rules: {'@typescript-eslint/no-explicit-any': 'off'},
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {sourceType: 'commonjs', globals: {module: 'writable', require: 'readonly', __dirname: 'readonly'}},
    rules: {'@typescript-eslint/no-require-imports': 'off'},
  },
)
