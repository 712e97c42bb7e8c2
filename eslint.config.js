// ESLint flat config: typescript-eslint's type-checked rules over the TypeScript sources, with the promise rules on.
// A forgotten `await` (a floating promise) or a promise passed where a callback's result is ignored (an `async`
// request handler on node:http) loses errors silently: in a driver that moves user files that is a data-loss bug,
// so those two rules are errors everywhere. Formatting is Prettier's job, not ESLint's.
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', '.bench-build/', 'coverage/', 'node_modules/', 'test/.tmp/', '.tmp/', 'openlist-ui/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // `_`-prefixed names mark a parameter kept for a signature (a route handler's unused request, say).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      // Numbers and booleans in messages read fine; objects would print "[object Object]", which stays an error.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // An async function without await is often an interface implementation that must return a promise.
      '@typescript-eslint/require-await': 'off',
      // Type-only imports keep runtime import graphs (and the layer check) honest.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // `return promise` inside try/catch skips the catch when the promise rejects; `return await` does not.
      '@typescript-eslint/return-await': ['error', 'error-handling-correctness-only'],
      // A rejection may forward a reason it was handed (a caught error, an AbortSignal's reason): those are `unknown`,
      // and wrapping them would change what callers catch. New non-Error literals stay errors.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Prettier wraps code at 120; comments and strings it cannot wrap are held to 140 here.
      'max-len': ['error', { code: 140, ignoreUrls: true, ignoreRegExpLiterals: true }],
    },
  },
  {
    // Tests poke at internals and parse loose JSON on purpose; the unsafe-any family there is noise, not risk.
    files: ['test/**/*.ts', 'soak/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Plain Node scripts and config files are not in a tsconfig: lint them without type information.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node },
  },
)
