import { defineConfig } from 'vitest/config'

// Node-only unit tests. Tests that need a browser will be named *.browser.test.ts and get their own project.
// The runtime contract tests (src/test/runtime.contract.ts) run real processes: they need Linux (/proc), python3
// (FakeWebContainer's pseudo-terminal) and @slipway/runtime-agent (the local runtime agent, started in-process).
export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
  },
})
