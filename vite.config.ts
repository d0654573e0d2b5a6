import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin, type UserConfig } from 'vite'
import { classicChunks } from './web/scripts/classicChunks.ts'
import { COEP_META_NAME, CoepSchema, DEFAULT_COEP, type Coep } from './shared/src/index.ts'

// Builds web/ into web/dist. The production server serves that folder with its own headers (server/src/middleware/
// security-headers); the headers below make `vite` and `vite preview` behave the same, so `crossOriginIsolated` is
// true in development too. Unit tests use each package's own vitest.config.ts, not this file.

const webRoot = fileURLToPath(new URL('./web', import.meta.url))

/// The same variable the server reads (server/src/config.ts `COEP`); an invalid value fails loudly.
function coepFromEnv(value: string | undefined): Coep {
  if (value === undefined || value === '') return DEFAULT_COEP
  const parsed = CoepSchema.safeParse(value)
  if (!parsed.success) {
    throw new RangeError(`Invalid COEP "${value}" (expected one of ${CoepSchema.options.join(', ')})`)
  }
  return parsed.data
}

/// Mirrors the production CSP minus the WebContainer frame origins, so `vite preview` catches CSP regressions.
const PREVIEW_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ')

/// In development nobody rewrites index.html, so write the COEP the dev server sends into the meta tag that
/// `web/src/core/env.ts` reads. In production the server does this at serve time.
function coepMeta(coep: Coep): Plugin {
  const tag = new RegExp(`(<meta name="${COEP_META_NAME}" content=")[^"]*(")`)
  return {
    name: 'slipway:coep-meta',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace(tag, `$1${coep}$2`)
    },
  }
}

const MONACO_VS = String.raw`[\/]monaco-editor[\/]esm[\/]vs[\/]`
/// A language service's fallback worker start (see monacoTrim).
const WORKER_FALLBACK = /createWorker: \(\) => new Worker\(new URL\('(?:ts|json|css|html)\.worker\.js', import\.meta\.url\), \{ type: "module" \}\),/g

/// What the web build leaves out of Monaco. Monaco's modules register features as import side effects, so no bundler
/// can drop one that something imports; these are the three places where something imports far more than Slipway
/// uses. Each rule fails the build when the file no longer looks as expected, so a Monaco upgrade cannot silently bring
/// the code back or break what stays.
///
/// - `internal/common/workers.js` (how the TypeScript, JSON, CSS and HTML services start their workers) also imports
///   every editor contribution Monaco has (inline completions, sticky scroll, GPU actions, the diff editor's extras…),
///   which would undo the hand-picked list in web/src/ui/editor/monacoContributions.ts the first time a script file
///   opens. Its side-effect-only imports are dropped; its code (`createWebWorker`) is kept as it is.
/// - The diff editor and the multi-file diff editor (~170 KB minified, 30 KB gzip) come with the standalone API even
///   when nobody calls `monaco.editor.createDiffEditor`, so the editor chunk would carry them for every file opened.
///   Their widgets are replaced there by classes that throw when constructed. The assistant's review shows diffs: it
///   imports the real widget under the id `…/diffEditorWidget?slipway-diff` (web/src/ui/ai/reviewDiffEditor.ts), which
///   this rule leaves whole, so the diff editor is a lazy chunk of its own, loaded when a review shows a diff.
/// - Code the standalone editor can never run, but imports anyway (26 KB gzip of the editor chunk together, measured
///   with bench:bundle: GPU 15.7, tree-sitter 8.1, debugger bridge 2.3):
///   - the WebGPU renderer (`editor/browser/gpu/`, its view lines, rulers and mark overlay): the view builds it only
///     when the `experimentalGpuAcceleration` option is 'on', and Slipway leaves that option at its default 'off';
///   - the tree-sitter token backend: a model builds it only when `ITreeSitterLibraryService.supportsLanguage` is
///     true, and the standalone service (standaloneTreeSitterLibraryService.js) answers false for every language.
///   - the observables' debugger bridge (`DevToolsLogger`): attached only when the process environment has
///     `VSCODE_DEV_DEBUG_OBSERVABLES`, and a web page has no process environment (base/common/process.js).
///   Their classes are replaced by ones that throw when constructed, so turning one on fails loudly.
/// - The language services' own way to start a worker (`new Worker(new URL('ts.worker.js', import.meta.url))` in each
///   `languages/features/*/workerManager.js`): Monaco calls it only when `MonacoEnvironment.getWorker` is not set, and
///   Slipway always sets it (web/src/ui/editor/monaco.ts, one entry for every worker: web/src/ui/editor/monaco.worker.ts).
///   Left in, Vite bundles a second copy of each of the four workers (9.2 MB of the precache, 1.4 MB brotli on every
///   first visit). The fallback throws instead.
export function monacoTrim(): Plugin {
  const stub = (name: string) =>
    `export class ${name} {\n  constructor() {\n    throw new Error('${name} is left out of the Monaco build (vite.config.ts monacoTrim)')\n  }\n}\n`
  const rules: Array<{ file: RegExp; expect: (code: string) => boolean; transform: (code: string) => string; keep?: string }> = [
    {
      file: new RegExp(`${MONACO_VS}internal[\\/]common[\\/]workers\\.js$`),
      expect: (code) => (code.match(/^import '\.\.\/\.\.\/(?:editor|base)\/[^']+';$/gm)?.length ?? 0) >= 20 && code.includes('function createWebWorker'),
      transform: (code) => code.replace(/^import '\.\.\/\.\.\/(?:editor|base)\/[^']+';\n/gm, ''),
    },
    {
      file: new RegExp(`${MONACO_VS}editor[\\/]browser[\\/]widget[\\/]diffEditor[\\/]diffEditorWidget\\.js$`),
      expect: (code) => /^export \{ DiffEditorWidget, toLineChanges \};$/m.test(code),
      transform: () => stub('DiffEditorWidget') + 'export function toLineChanges() {\n  return []\n}\n',
      keep: 'slipway-diff',
    },
    {
      file: new RegExp(`${MONACO_VS}editor[\\/]browser[\\/]widget[\\/]multiDiffEditor[\\/]multiDiffEditorWidget\\.js$`),
      expect: (code) => /^export \{ MultiDiffEditorWidget \};$/m.test(code),
      transform: () => stub('MultiDiffEditorWidget'),
    },
    ...[
      ['editor/browser/gpu/viewGpuContext', 'ViewGpuContext'],
      ['editor/browser/viewParts/viewLinesGpu/viewLinesGpu', 'ViewLinesGpu'],
      ['editor/browser/viewParts/rulersGpu/rulersGpu', 'RulersGpu'],
      ['editor/browser/viewParts/gpuMark/gpuMark', 'GpuMarkOverlay'],
      ['editor/common/model/tokens/treeSitter/treeSitterSyntaxTokenBackend', 'TreeSitterSyntaxTokenBackend'],
    ].map(([file, name]) => ({
      file: new RegExp(`${MONACO_VS}${file!.split('/').join('[\\/]')}\\.js$`),
      expect: (code: string) => new RegExp(`^export \\{ ${name} \\};$`, 'm').test(code),
      transform: () => stub(name!),
    })),
    {
      file: new RegExp(`${MONACO_VS}languages[\\/]features[\\/](?:typescript|json|css|html)[\\/]workerManager\\.js$`),
      expect: (code) => (code.match(WORKER_FALLBACK)?.length ?? 0) === 1,
      transform: (code) =>
        code.replace(WORKER_FALLBACK, "createWorker: () => {\n throw new Error('MonacoEnvironment.getWorker is not set (web/src/ui/editor/monaco.ts)')\n },"),
    },
    {
      file: new RegExp(`${MONACO_VS}base[\\/]common[\\/]observableInternal[\\/]logging[\\/]debugger[\\/]devToolsLogger\\.js$`),
      expect: (code) => /^export \{ DevToolsLogger \};$/m.test(code) && /^\s+static getInstance\(\) \{$/m.test(code),
      transform: () => stub('DevToolsLogger').replace('{\n', '{\n  static getInstance() {\n    return new DevToolsLogger()\n  }\n'),
    },
  ]
  // A rule whose file a Monaco upgrade moved or renamed would match nothing and bring the code back silently: a
  // production build fails instead.
  const matched = new Set<RegExp>()
  let isBuild = false
  return {
    name: 'slipway:monaco-trim',
    enforce: 'pre',
    configResolved(config) {
      isBuild = config.command === 'build'
    },
    transform(code, id) {
      const [file = id, query = ''] = id.split('?')
      const rule = rules.find((r) => r.file.test(file))
      if (rule) matched.add(rule.file)
      if (!rule || (rule.keep && new URLSearchParams(query).has(rule.keep))) return null
      if (!rule.expect(code)) throw new Error(`slipway:monaco-trim: ${file} no longer looks as expected; review the rule in vite.config.ts`)
      return { code: rule.transform(code), map: null }
    },
    buildEnd(error) {
      if (!isBuild || error) return
      const unmatched = rules.filter((r) => !matched.has(r.file)).map((r) => r.file.source)
      if (unmatched.length) this.error(`slipway:monaco-trim: no module matched ${unmatched.join(', ')}; review the rules in vite.config.ts`)
    },
  }
}

/// Chunks shipped as classic scripts, so Chromium reuses their compiled code from the third visit on (its module scripts
/// are compiled again on every load; web/scripts/classicChunks.ts): the biggest on the way to an editable editor,
/// Monaco's editor (2.4 MB), the editor pane with its language modes (0.8 MB), the runtime banner's chunk (0.5 MB), and
/// React (0.2 MB, split out of the entry for this: `REACT` below; index.html preloads its classic file).
/// With the service worker this pays only because build-sw.mjs drops the full code cache Chromium makes at install
/// (see there). Measured with bench:offline `--sw`, same sitting (issue 20's note):
/// - the three Monaco-side chunks vs none: CPU 4× editable p50 6,498 → 4,533 and 6,844 → 4,646 ms; unthrottled p50
///   1,843 → 1,551 and 1,901 → 1,926 ms;
/// - React too: code visible p50 655 → 454 and 552 → 430 ms, editable p50 1,908 → 1,676 and 1,761 → 1,505 ms; CPU 4×
///   code visible 1,824 → 1,230 and 1,698 → 1,041 ms, editable 4,859 → 5,684 and 4,810 → 4,181 ms.
/// `SLIPWAY_CLASSIC_CHUNKS=0` builds them all as modules (to compare).
const CLASSIC = process.env.SLIPWAY_CLASSIC_CHUNKS !== '0'
const CLASSIC_CHUNKS = CLASSIC ? ['editor.api', 'MonacoPane', 'RuntimeBanner', 'react'] : []
/// React, ReactDOM and the scheduler in a chunk of their own (they were most of the entry chunk), which can be classic.
const REACT = /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/

export default defineConfig((): UserConfig => {
  const coep = coepFromEnv(process.env.COEP)
  const isolation = {
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': coep,
    'Cross-Origin-Resource-Policy': 'same-origin',
  }
  const proxy = { '/api': { target: `http://127.0.0.1:${process.env.PORT ?? 3000}`, changeOrigin: false } }

  return {
    root: webRoot,
    // Off, the plugin is left out altogether: it would only lex every chunk and change hashes for nothing.
    plugins: [react(), coepMeta(coep), monacoTrim(), ...(CLASSIC_CHUNKS.length ? [classicChunks(CLASSIC_CHUNKS)] : [])],
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      assetsDir: 'assets',
      // The Monaco chunks (lazy) and the TypeScript worker are big by nature; size budgets for the first chunk live
      // in bench/, not in this warning.
      chunkSizeWarningLimit: 8192,
      ...(CLASSIC ? { rolldownOptions: { output: { codeSplitting: { groups: [{ name: 'react', test: REACT }] } } } } : {}),
    },
    // Monaco's workers import each other as ES modules; `iife` cannot code-split.
    worker: { format: 'es' },
    server: { port: 5173, headers: isolation, proxy },
    preview: { port: 4173, headers: { ...isolation, 'Content-Security-Policy': PREVIEW_CSP }, proxy },
  }
})
