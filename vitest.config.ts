import { defineConfig } from 'vitest/config';
import { E2E } from './test/support/projects.js';

// Unit tests import src/; e2e tests run dist/ (test/support/projects.ts lists them). Either
// way the e2e project's globalSetup builds dist/ once when it is older than src/.

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
