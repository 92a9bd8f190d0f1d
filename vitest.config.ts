import { defineConfig } from 'vitest/config';

/**
 * Tests that run the built command (dist/cli.js) as a user does: the e2e project. The rest,
 * which import src/ directly, are the unit project. `npx vitest run --project unit` skips
 * the build; either way the globalSetup builds dist/ once when it is older than src/.
 */
const E2E = [
  'test/cli.test.ts',
  'test/docker.test.ts',
  'test/feed-check.test.ts',
  'test/app/jobs/crash.test.ts',
  'test/bot/console.test.ts',
  'test/bot/hostile-pages.test.ts',
  'test/bot/service.test.ts',
  'test/bot/telegram-run.test.ts',
  'test/doctor/doctor-cli.test.ts',
  'test/store/backup.test.ts',
  'test/store/postgres-cli.test.ts',
  'test/store/postgres-move.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: E2E },
      },
      {
        extends: true,
        test: { name: 'e2e', include: E2E, globalSetup: ['test/support/build.ts'] },
      },
    ],
  },
});
