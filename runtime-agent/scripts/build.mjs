// Bundles the agent into dist/: main.js (the `slipway-runtime` command) and index.js (`startAgent()` for programs).
// Workspace packages (@slipway/shared, TypeScript sources) are bundled in, so the published package needs nothing
// from the monorepo; npm dependencies stay external and are installed with it.
import { chmod, rm } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))

await rm(`${root}/dist`, { recursive: true, force: true })
await build({
  absWorkingDir: root,
  entryPoints: ['src/main.ts', 'src/index.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // Node allows a hashbang at the top of any module, so every output may carry it; main.js needs it to run as a bin.
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
  plugins: [
    {
      name: 'external-npm',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith('@slipway/') ? undefined : { path: args.path, external: true },
        )
      },
    },
  ],
})
await chmod(`${root}/dist/main.js`, 0o755)
