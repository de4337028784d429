// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const electronBan = {
  name: 'electron',
  message: 'The core and shared code run on plain Node: keep electron in src/main/electron and pass what you need in as a port.',
};

// Storage goes through the data layer (ADR 0050): only src/main/core/db/** and src/main/core/repositories/** may
// import a database driver or the query builder, or take the raw better-sqlite3 handle from db/open.
const dataLayerMessage = 'Only src/main/core/db/ and src/main/core/repositories/ talk to databases: take a WorkspaceContext (ctx.workspace) and its repositories instead (docs/decisions/0050-data-layer.md).';
const driverBans = ['better-sqlite3', 'pg', 'pg-boss', 'kysely', 'sqlite-vec'].map((name) => ({ name, message: dataLayerMessage }));
// Type-only imports count too: a service typed against `Db` is still written against the driver.
const rawHandleBan = { group: ['**/db/open', '**/db/open.ts', '**/db/open.js'], message: dataLayerMessage };

// Legacy debt (issue 9): files written before the data layer that still reach SQLite directly. Each helper who
// moves a file onto repositories removes it here; nothing is ever added. Keep it sorted.
const legacyDatabaseUsers = [
  'src/main/core/app/appDb.ts',
  'src/main/core/app/profiles.ts',
  'src/main/core/context/build.ts',
  'src/main/core/context/builders/campaign.ts',
  'src/main/core/context/sql.ts',
  'src/main/core/context/types.ts',
  'src/main/core/data/importService.ts',
  'src/main/core/data/importTask.ts',
  'src/main/core/demo/generate.ts',
  'src/main/core/demo/sink.ts',
  'src/main/core/demo/task.ts',
  'src/main/core/engine/coaching.ts',
  'src/main/core/engine/coachingSources.ts',
  'src/main/core/engine/detectors/metrics.ts',
  'src/main/core/engine/detectors/service.ts',
  'src/main/core/engine/detectors/task.ts',
  'src/main/core/engine/engine.ts',
  'src/main/core/engine/insightQuery.ts',
  'src/main/core/engine/insightStore.ts',
  'src/main/core/engine/lifecycle.ts',
  'src/main/core/engine/prepareScan.ts',
  'src/main/core/engine/scanService.ts',
  'src/main/core/engine/scanTask.ts',
  'src/main/core/gateway/callRunner.ts',
  'src/main/core/gateway/endpointStore.ts',
  'src/main/core/gateway/gatewayService.ts',
  'src/main/core/gateway/ledger.ts',
  'src/main/core/gateway/policyStore.ts',
  'src/main/core/gateway/priceBook.ts',
  'src/main/core/gateway/responseCache.ts',
  'src/main/core/gateway/revs.ts',
  'src/main/core/gateway/usageQueries.ts',
  'src/main/core/jobs/jobService.ts',
  'src/main/core/localModels/modelService.ts',
  'src/main/core/localModels/modelStore.ts',
  'src/main/core/scheduler/schedulerService.ts',
  'src/main/core/scheduler/tokenBudget.ts',
  // Services.appDb: the app database's raw handle, handed to the services above.
  'src/main/core/services.ts',
  'src/main/core/vectors/evaluation.ts',
  'src/main/core/vectors/grounding.ts',
  'src/main/core/vectors/indexer.ts',
  'src/main/core/vectors/info.ts',
  'src/main/core/vectors/quality.ts',
  'src/main/core/vectors/schema.ts',
  'src/main/core/vectors/search.ts',
  'src/main/core/vectors/sourceReader.ts',
  'src/main/core/vectors/store.ts',
  'src/main/core/vectors/task.ts',
  'src/main/core/vectors/vectorJobs.ts',
  'src/main/core/vectors/vectorService.ts',
  'src/main/core/vectors/versions.ts',
  // The transitional raw-handle accessors themselves (WorkspaceContext.legacySqlite, WorkspaceService.open).
  'src/main/core/workspaces/workspaceContext.ts',
  'src/main/core/workspaces/workspaceService.ts',
];
// Composition roots configure the native SQLite binding for their process (not debt).
const bindingConfigurers = ['src/main/core/createCore.ts', 'src/main/core/workers/entry.ts'];
const dataLayer = ['src/main/core/db/**', 'src/main/core/repositories/**'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.native/**', 'coverage/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [electronBan], patterns: [{ group: ['electron/*'], message: electronBan.message }] }],
    },
  },
  {
    files: ['src/main/core/**/*.ts'],
    ignores: [...dataLayer, ...legacyDatabaseUsers, ...bindingConfigurers],
    rules: {
      'no-restricted-imports': ['error', { paths: [electronBan, ...driverBans], patterns: [{ group: ['electron/*'], message: electronBan.message }, rawHandleBan] }],
    },
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/core/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: driverBans, patterns: [rawHandleBan] }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan],
          patterns: [
            { group: ['electron/*'], message: electronBan.message },
            { group: ['node:*'], message: 'src/shared is pure TypeScript shared with the renderer: no node:* imports.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}', 'test/unit/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // TanStack Table's hook returns fresh functions by design; we do not use the React Compiler, so the
      // "incompatible library" notice is noise here.
      'react-hooks/incompatible-library': 'off',
      'no-restricted-globals': ['error', { name: 'api', message: 'Features call src/renderer/src/api/client.ts, never window.api.' }],
      'no-restricted-properties': ['error', { object: 'window', property: 'api', message: 'Features call src/renderer/src/api/client.ts, never window.api.' }],
    },
  },
  {
    files: ['src/renderer/src/api/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
