import { defineConfig } from 'vitest/config'

// Node-only unit tests. Tests that need a browser will be named *.browser.test.ts and get their own project.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
})
