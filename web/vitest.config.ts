import { defineConfig } from 'vitest/config'

// Node-only unit tests. Tests that need a browser will be named *.browser.test.ts and get their own project.
// The runtime contract tests (src/test/runtime.contract.ts) run real processes: they need Linux (/proc), python3
// (FakeWebContainer's pseudo-terminal) and the server package's dependencies (the local runtime agent).
export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
})
