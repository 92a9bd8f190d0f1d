/**
 * The tests that run the built command (dist/cli.js, or a script over dist/) as a user
 * does: the e2e Vitest project, whose globalSetup builds dist/ first. The rest import src/
 * and are the unit project. test/architecture.test.ts checks that every test which runs
 * dist/ is listed here.
 */
export const E2E = [
  'test/cli.test.ts',
  'test/docker.test.ts',
  'test/feed-check.test.ts',
  'test/app/jobs/crash.test.ts',
  'test/bot/console.test.ts',
  'test/bot/hostile-pages.test.ts',
  'test/bot/memory.test.ts',
  'test/bot/platform-libraries.test.ts',
  'test/bot/service.test.ts',
  'test/bot/telegram-run.test.ts',
  'test/doctor/doctor-cli.test.ts',
  'test/input/read.test.ts',
  'test/instances/discord-gateway.test.ts',
  'test/instances/instances.test.ts',
  'test/instances/restart.test.ts',
  'test/store/backup.test.ts',
  'test/store/postgres-cli.test.ts',
  'test/store/postgres-move.test.ts',
];
