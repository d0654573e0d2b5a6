// The import boundaries of ARCHITECTURE.md ("Parts" and "The browser side"), checked in CI by `pnpm check:imports`
// (dependency-cruiser). Type-only imports are allowed across layers: they vanish at build time and are how ui names
// an adapter's types without reaching for its code. Each rule's comment says what breaking it means.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'resolvable',
      comment: 'every import resolves; an unresolved one would slip past the rules below.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'core-is-headless',
      comment: 'web/src/core holds the logic that runs without a screen: no React, Monaco, xterm or DOM-bound UI code.',
      severity: 'error',
      from: { path: '^web/src/core/' },
      to: { path: ['^web/src/ui/', 'node_modules/(react|react-dom|monaco-editor|@xterm)/'] },
    },
    {
      name: 'core-takes-ports',
      comment: 'core talks to the outside through ports it is given; it never imports an adapter.',
      severity: 'error',
      from: { path: '^web/src/core/' },
      to: { path: '^web/src/adapters/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'ui-gets-adapters-from-the-composition-root',
      comment:
        'ui receives adapters from the composition root (ui/services.tsx, main.tsx); elsewhere in ui only their types.',
      severity: 'error',
      from: { path: '^web/src/ui/', pathNot: '^web/src/ui/services\\.tsx$' },
      to: { path: '^web/src/adapters/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'quickopen-and-search-without-monaco',
      comment:
        'quick open and search load before Monaco (its chunk is lazy): they drive the editor through the session\'s EditorController (useEditorController), never ui/editor\'s Monaco host or monaco-editor.',
      severity: 'error',
      from: { path: '^web/src/ui/(quickopen|search)/' },
      to: { path: ['^web/src/ui/editor/', 'node_modules/monaco-editor/'], pathNot: '^web/src/ui/editor/editorControllerContext\\.tsx$' },
    },
    {
      name: 'adapters-below-ui',
      comment: 'adapters implement ports for core; they never import React components.',
      severity: 'error',
      from: { path: '^web/src/adapters/' },
      to: { path: '^web/src/ui/' },
    },
    {
      name: 'server-domain-is-pure',
      comment: 'server/src/domain knows nothing of HTTP, SQL drivers or the Anthropic SDK: no hono, drizzle, postgres.js, PGlite or @anthropic-ai.',
      severity: 'error',
      // Its tests may compose the domain with real adapters (integration tests over Postgres).
      from: { path: '^server/src/domain/', pathNot: '\\.test\\.ts$' },
      to: {
        path: ['node_modules/(hono|@hono|drizzle-orm|postgres|@electric-sql|@anthropic-ai)/', '^server/src/(routes|middleware|adapters)/'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'server-domain-does-no-io',
      comment:
        'server/src/domain reaches files, sockets, threads and processes only through ports: of Node\'s built-ins it may use crypto alone (hashes, random ids).',
      severity: 'error',
      from: { path: '^server/src/domain/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['core'], pathNot: '^(node:)?crypto$' },
    },
    {
      name: 'shared-is-the-contract',
      comment: 'shared/ is the wire contract: it imports zod and nothing of the packages that use it.',
      severity: 'error',
      from: { path: '^shared/', pathNot: '\\.test\\.ts$' },
      to: {
        path: ['^(web|server|runtime-agent|e2e|bench)/', 'node_modules/'],
        pathNot: 'node_modules/zod/',
      },
    },
    {
      name: 'runtime-agent-stands-alone',
      comment: 'the runtime agent is published on its own: it may import shared (bundled in), never server or web.',
      severity: 'error',
      from: { path: '^runtime-agent/src/' },
      to: { path: '^(web|server)/' },
    },
    {
      name: 'web-and-server-apart',
      comment: 'web and server meet only through shared: the wire contract is its zod schemas, not the server\'s types.',
      severity: 'error',
      from: { path: '^web/src/' },
      to: { path: '^server/' },
    },
    {
      name: 'server-not-web',
      comment: 'the server never imports browser code.',
      severity: 'error',
      from: { path: '^server/src/' },
      to: { path: '^web/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^[^/]+/dist/', '^[^/]+/src/.*\\.d\\.ts$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    // Packages with an `exports` map (hono, zod…) resolve through it, as Node and Vite do.
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'node', 'default'] },
  },
}
