// Bundles the server into dist/: main.js (the entry point) and compactor.worker.js (the log compaction thread,
// which main.js starts from beside itself). Workspace packages (@slipway/*, TypeScript sources) are bundled in; npm
// dependencies stay external and are loaded from node_modules at run time. `--outdir <dir>` writes elsewhere (tests);
// it must sit directly in server/, where main.js finds package.json, drizzle/ and node_modules.
import { build } from 'esbuild'

const at = process.argv.indexOf('--outdir')
const outdir = at === -1 ? 'dist' : process.argv[at + 1]
if (!outdir) throw new Error('--outdir needs a directory')

await build({
  entryPoints: {
    main: 'src/main.ts',
    'compactor.worker': 'src/adapters/db/compactor.worker.ts',
  },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
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
