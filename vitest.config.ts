import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Integration tests share two cores with Redis and the model; running files one at a time keeps
    // their waits honest.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      // Pure model, app and adapter logic on fixtures: no Redis, no service, seconds.
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/**/*.int.test.ts'] } },
      // The real Redis, the real model, live services (`*.int.test.ts`).
      { extends: true, test: { name: 'int', include: ['test/**/*.int.test.ts'] } },
    ],
  },
});
