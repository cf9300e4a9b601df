import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import drizzle from 'eslint-plugin-drizzle';

const config = [
  ...nextVitals,
  ...nextTs,
  {
    plugins: { drizzle },
    rules: {
      // An update or delete without a where clause touches every row: refuse it.
      'drizzle/enforce-delete-with-where': ['error', { drizzleObjectName: ['db', 'tx'] }],
      'drizzle/enforce-update-with-where': ['error', { drizzleObjectName: ['db', 'tx'] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Route handlers and pages stay thin: no database access in app/.
    files: ['app/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@/db/client', '@/db/schema', 'drizzle-orm', 'drizzle-orm/*'], message: 'app/ calls lib/ functions; database access lives in lib/.' },
          ],
        },
      ],
    },
  },
  {
    // The numeric cores (certified removal, the matcher's statistics, the Merkle log and certificate checks) are pure:
    // no framework, no database. Their callers in lib/ bring the data.
    files: ['lib/unlearning/**/*.ts', 'lib/matcher/**/*.ts', 'lib/certificates/{merkle,dsse,verify-bundle,verdict,tree-head}.ts'],
    ignores: ['lib/matcher/{cohort-distances,find-matches,label-decision,label-templates,matching-facts}.ts', 'lib/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['next', 'next/*', 'react', 'react/*', '@/db/*', 'drizzle-orm', 'drizzle-orm/*', '@/app/*'],
              message: 'A numeric core takes its data as arguments.',
            },
          ],
        },
      ],
    },
  },
  {
    // One place reads the environment (lib/config/env.ts, validated); entry points that set it up for Next.js are exempt.
    files: ['app/**/*.{ts,tsx}', 'lib/**/*.ts', 'db/**/*.ts', 'workers/**/*.ts', 'proxy.ts'],
    ignores: ['lib/config/env.ts', 'lib/**/*.test.ts', 'lib/testing/**', 'db/**/*.test.ts', 'lib/jobs/thread-pool.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through env() (lib/config/env.ts).' }],
    },
  },
  {
    ignores: [
      '.next/**',
      'node_modules/**',
      'data/**',
      '.e2e-data/**',
      'test-results/**',
      'playwright-report/**',
      'next-env.d.ts',
      'db/migrations/**',
      'bench/.cache/**',
    ],
  },
];

export default config;
