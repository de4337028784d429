import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

const alias = { '@shared': resolve(import.meta.dirname, 'src/shared') };

/**
 * `npm run test:pg` (TEST_DB_ENGINE=postgres) runs the core test files already moved to the data layer against the
 * PostgreSQL server in INTELLIGENCE_DESK_TEST_PG_URL (ADR 0050). Widen this list as services move to repositories.
 */
const postgresRun = process.env.TEST_DB_ENGINE === 'postgres';
const POSTGRES_READY = ['test/unit/core/db/dialect.test.ts', 'test/unit/core/dataPage.test.ts', 'test/unit/core/workspaces/**/*.test.ts', 'test/unit/core/recordsEngines.test.ts', 'test/unit/core/actions/approvals.test.ts', 'test/unit/core/copilot/repos.test.ts', 'test/unit/core/analytics/engines.test.ts', 'test/unit/core/reports/reportRepos.test.ts'];
if (postgresRun && !process.env.INTELLIGENCE_DESK_TEST_PG_URL) {
  process.stderr.write('TEST_DB_ENGINE=postgres: no INTELLIGENCE_DESK_TEST_PG_URL, so nothing runs. Start a server: node scripts/pg-test-cluster.mjs start, and export the URL it prints.\n');
}

export default defineConfig({
  test: {
    // Under CI a JSON report feeds the run's summary line (scripts/ci-summary.mjs).
    reporters: process.env.CI ? ['default', ['json', { outputFile: postgresRun ? 'reports/vitest-postgres.json' : 'reports/vitest.json' }]] : ['default'],
    passWithNoTests: postgresRun,
    projects: [
      ...(postgresRun
        ? [
            {
              resolve: { alias },
              test: {
                name: 'core-postgres',
                environment: 'node' as const,
                include: process.env.INTELLIGENCE_DESK_TEST_PG_URL ? POSTGRES_READY : [],
                env: { TEST_DB_ENGINE: 'postgres' },
                testTimeout: 60_000,
                hookTimeout: 60_000,
                pool: 'forks' as const,
              },
            },
          ]
        : []),
      {
        resolve: { alias },
        test: {
          name: 'core',
          environment: 'node',
          include: ['test/unit/core/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/unit/gateway/**/*.test.ts', 'test/unit/security/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      {
        resolve: { alias },
        test: { name: 'contract', environment: 'node', include: ['test/unit/contract/**/*.test.ts'], testTimeout: 30_000 },
      },
      {
        resolve: { alias },
        plugins: [react()],
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['test/unit/renderer/**/*.test.{ts,tsx}'],
          setupFiles: ['test/unit/renderer/setup.ts'],
          // jsdom + Mantine renders are CPU-bound; leave room for a busy 2-core CI machine.
          testTimeout: 30_000,
        },
      },
    ],
  },
});
