import nx from '@nx/eslint-plugin';

const FRAMEWORKS = ['@nestjs/*', 'typeorm', 'pg', 'pg-*', 'nats', '@nats-io/*', 'fastify', '@fastify/*', 'passport*'];
const sameScope = (scope) => ({
  sourceTag: `scope:${scope}`,
  onlyDependOnLibsWithTags: [`scope:${scope}`, 'scope:shared', 'type:contracts'],
});

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: ['**/node_modules', '**/dist', 'tmp', 'coverage', '.nx', 'tools/boundary-fixture/**'],
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            // Layers
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'], bannedExternalImports: FRAMEWORKS },
            { sourceTag: 'type:contracts', notDependOnLibsWithTags: ['*'], bannedExternalImports: ['*'] },
            { sourceTag: 'type:application', onlyDependOnLibsWithTags: ['type:domain', 'type:application', 'type:contracts'] },
            {
              // type:testing for the integration specs beside the adapters (libs/testing has no context code).
              sourceTag: 'type:infrastructure',
              onlyDependOnLibsWithTags: ['type:domain', 'type:application', 'type:infrastructure', 'type:contracts', 'type:testing'],
            },
            {
              sourceTag: 'type:presentation',
              onlyDependOnLibsWithTags: ['type:domain', 'type:application', 'type:contracts', 'type:infrastructure'],
            },
            {
              sourceTag: 'type:testing',
              onlyDependOnLibsWithTags: ['type:domain', 'type:application', 'type:infrastructure', 'type:contracts', 'type:testing'],
            },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:domain', 'type:application', 'type:infrastructure', 'type:presentation', 'type:contracts'],
            },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:domain', 'type:infrastructure', 'type:contracts', 'type:testing'] },
            // Contexts reach each other only through contracts
            ...['sales', 'fulfillment', 'marketplace', 'customer', 'quality', 'warehouse', 'gateway'].map(sameScope),
            // The operator's command line composes every context (load, generate, replay…).
            { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['scope:cli', 'scope:shared', 'scope:quality', 'scope:warehouse', 'type:contracts'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            // Workspace tooling (schema registry, benchmarks, end-to-end suites) composes contexts like the CLI does.
            { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:shared', 'scope:quality', 'scope:warehouse', 'type:contracts'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', 'libs/testing/**/*.ts', 'tools/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
