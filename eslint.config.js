import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'var/**',
      '**/dist/**',
      'validator-py/**',
      'web/src/gen/**',
      'command-service/src/gen/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/utils', '**/helpers', '**/utils/**', '**/helpers/**'],
              message: 'Name modules by what they are.',
            },
          ],
        },
      ],
    },
  },
);
