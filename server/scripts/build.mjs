// Bundles the server into dist/main.js. Workspace packages (@slipway/*, TypeScript sources) are bundled in;
// npm dependencies stay external and are loaded from node_modules at run time.
import { build } from 'esbuild'

await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/main.js',
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
