// `pnpm bench:bundle`: bundle budget check on the production SPA build in web/dist.
//
//   app shell  = the JS that web/dist/index.html loads synchronously: its `<script type="module" src>`, every
//                `<link rel="modulepreload">`, every `<link rel="preload" as="script">` (a chunk shipped as a classic
//                script) and any classic `<script src>` (parser-blocking). Budget 250 KB gzip.
//   Monaco     = every JS chunk that contains Monaco: file name `editor.api-*` / `MonacoPane-*` (their module and their
//                classic script, web/scripts/classicChunks.ts), or content carrying a
//                Monaco marker (`monaco-editor` / `monaco-` class names), plus every chunk those import statically
//                (it loads before the editor opens) that the page does not already have when the editor is requested
//                (the app shell, and the chain of chunks that lazily import Monaco, with their static imports). Workers (`*.worker-*.js`)
//                are excluded and reported apart. Budget 850 KB gzip (sum). (It was 852 for a while after the
//                assistant's review brought the diff editor in as a lazy chunk of its own, which costs the editor's
//                path 1.0 KB; vite.config.ts `monacoTrim` has since dropped code the standalone editor never runs.)
//   Monaco on demand = Monaco code in a chunk that no chunk of the editor imports statically, reached only by a
//                dynamic import (the assistant review's diff editor, web/src/ui/ai/reviewDiffEditor.ts): it loads
//                when a review shows a diff, never before the editor opens. Budget 40 KB gzip (sum).
//   Monaco language contributions (basic-languages tokenizers, tsMode/jsonMode/…: lazy chunks that statically import a
//                Monaco chunk, loaded per language on demand) are reported for information, not budgeted.
//
// Sizes: raw bytes and gzip via node:zlib gzipSync level 9 (1 KB = 1000 bytes). Also lists the 10 largest lazy chunks.
// Writes bench/results/bundle-latest.json. Exit 1 when a budget is exceeded (or the build is unusable), 0 otherwise.
//
// Does not rebuild: web/dist is used as it is. Only when nothing is built does it run the full build first.
//
// Options: --json  print only the JSON result on stdout
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { ensureBuild, RESULTS_DIR as resultsDir, ROOT as root } from './lib.mjs'

const dist = path.join(root, 'web/dist')
const jsonOnly = process.argv.includes('--json')

const BUDGETS = { appShellGzip: 250_000, monacoGzip: 850_000, monacoOnDemandGzip: 40_000 }
const MONACO_NAME = /^(editor\.api|MonacoPane)-[\w-]+(\.classic)?\.js$/
const MONACO_MARKER = /monaco-editor|["'`.]monaco-[a-z]/
const WORKER = /\.worker-[\w-]+\.js$/

const log = (...a) => {
  if (!jsonOnly) console.log(...a)
}

try {
  await ensureBuild({ web: true, rebuild: false })
} catch (err) {
  console.error(`bundle: ${err.message}`)
  process.exit(1)
}

const html = readFileSync(path.join(dist, 'index.html'), 'utf8')
const attr = (tag, name) => tag.match(new RegExp(`\\s${name}\\s*=\\s*["']([^"']*)["']`, 'i'))?.[1]
/** dist-relative path of a same-origin URL from index.html, or undefined for external ones */
const local = (url) => (url && !/^[a-z]+:|^\/\//i.test(url) ? url.replace(/^\.?\//, '').split(/[?#]/)[0] : undefined)

const shell = [] // { file, how }
for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
  const src = local(attr(tag, 'src'))
  if (!src) continue
  const type = attr(tag, 'type')
  const isModule = type === 'module'
  if (!isModule && type && !/javascript/i.test(type)) continue
  // classic scripts without async/defer block the parser; module scripts are deferred but part of the first load
  if (!isModule && /\s(async|defer)\b/i.test(tag)) continue
  shell.push({ file: src, how: isModule ? 'module entry' : 'classic script' })
}
for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
  const rel = (attr(tag, 'rel') ?? '').toLowerCase()
  // a chunk shipped as a classic script (web/scripts/classicChunks.ts) is preloaded as one: its code is in that file
  const classic = rel === 'preload' && (attr(tag, 'as') ?? '').toLowerCase() === 'script'
  if (rel !== 'modulepreload' && !classic) continue
  const href = local(attr(tag, 'href'))
  if (href) shell.push({ file: href, how: classic ? 'preload (classic chunk)' : 'modulepreload' })
}
if (!shell.some((s) => s.how === 'module entry')) {
  console.error('bundle: no <script type="module" src> in web/dist/index.html')
  process.exit(1)
}

const assetsDir = path.join(dist, 'assets')
const allJs = readdirSync(assetsDir)
  .filter((f) => f.endsWith('.js'))
  .map((f) => `assets/${f}`)

const cache = new Map()
function measure(rel) {
  if (!cache.has(rel)) {
    const abs = path.join(dist, rel)
    if (!existsSync(abs)) throw new Error(`bundle: ${rel} is referenced by index.html but missing from web/dist`)
    const buf = readFileSync(abs)
    cache.set(rel, { file: rel, raw: statSync(abs).size, gzip: gzipSync(buf, { level: 9 }).length, text: buf.toString('utf8') })
  }
  return cache.get(rel)
}

/** relative static imports of a chunk (`import … from"./x.js"`, `import"./x.js"`, `export … from"./x.js"`) */
function staticImports(rel) {
  const { text } = measure(rel)
  const out = new Set()
  for (const m of text.matchAll(/(?:\bfrom|\bimport)\s*["'](\.{1,2}\/[^"']+\.js)["']/g)) {
    out.add(path.posix.join(path.posix.dirname(rel), m[1]))
  }
  return [...out]
}

// app shell
const shellFiles = shell.map((s) => ({ ...measure(s.file), how: s.how }))
const shellSet = new Set(shellFiles.map((f) => f.file))
// cross-check: the static-import closure of the entry should be covered by the modulepreloads
const closure = new Set()
const stack = shell.filter((s) => s.how === 'module entry').map((s) => s.file)
while (stack.length) {
  const f = stack.pop()
  if (closure.has(f)) continue
  closure.add(f)
  for (const d of staticImports(f)) if (existsSync(path.join(dist, d))) stack.push(d)
}
const notPreloaded = [...closure].filter((f) => !shellSet.has(f))
for (const f of notPreloaded) shellFiles.push({ ...measure(f), how: 'static import (not preloaded)' })

// Monaco
const monaco = []
const workers = []
for (const rel of allJs) {
  const name = path.posix.basename(rel)
  if (WORKER.test(name)) {
    workers.push(measure(rel))
    continue
  }
  if (shellSet.has(rel) || closure.has(rel)) continue
  const byName = MONACO_NAME.test(name)
  const m = measure(rel)
  if (byName || MONACO_MARKER.test(m.text)) monaco.push({ ...m, how: byName ? 'name' : 'marker' })
}
const monacoOwn = new Set(monaco.map((m) => m.file)) // by name or marker: what language chunks hang off
// What a Monaco chunk imports statically loads with it before the editor can open (e.g. the TypeScript service's
// registration, which carries no marker), so it counts too, whatever its name or content, unless the page already
// has it when the editor is requested: the app shell, and the chunks that lazily import a Monaco chunk (the
// workbench) with everything they import statically.
const staticClosure = (roots) => {
  const seen = new Set()
  const todo = [...roots]
  while (todo.length) {
    const f = todo.pop()
    if (seen.has(f) || !existsSync(path.join(dist, f))) continue
    seen.add(f)
    todo.push(...staticImports(f))
  }
  return seen
}
const importsLazily = (rel, targets) =>
  targets.some((t) => new RegExp(`import\\(\\s*["'\`]\\./${path.posix.basename(t).replace(/[.$]/g, '\\$&')}["'\`]`).test(measure(rel).text))
// Monaco features loaded on demand after the editor (see the header): apart from the editor's budget.
const editorClosure = staticClosure(monaco.filter((m) => m.how === 'name').map((m) => m.file))
const onDemand = monaco.filter((m) => !editorClosure.has(m.file) && allJs.some((rel) => rel !== m.file && importsLazily(rel, [m.file])))
for (const m of onDemand) monaco.splice(monaco.indexOf(m), 1)
// The chunks on the way to the editor: those that lazily import a Monaco chunk, those that lazily import them, and
// so on up to the shell. Each of them has run (with its static imports) by the time the editor is requested.
const lazyImporters = []
let frontier = monaco.map((m) => m.file)
while (frontier.length) {
  const next = allJs.filter((rel) => !monacoOwn.has(rel) && !WORKER.test(rel) && !lazyImporters.includes(rel) && importsLazily(rel, frontier))
  lazyImporters.push(...next)
  frontier = next
}
const loadedBefore = new Set([...closure, ...shellSet, ...staticClosure(lazyImporters)])
for (const dep of staticClosure(monaco.map((m) => m.file))) {
  if (loadedBefore.has(dep) || WORKER.test(dep) || monaco.some((c) => c.file === dep)) continue
  monaco.push({ ...measure(dep), how: 'static import of a Monaco chunk' })
}
const monacoSet = new Set(monaco.map((m) => m.file))
const monacoLanguages = []
for (const rel of allJs) {
  if (monacoSet.has(rel) || loadedBefore.has(rel) || WORKER.test(rel) || onDemand.some((o) => o.file === rel)) continue
  const deps = staticImports(rel)
  const m = measure(rel)
  // basic-languages tokenizers import nothing but are only reached from the Monaco chunk's lazy loaders
  const base = path.posix.basename(rel)
  const reachedFromMonaco = monaco.some((c) => ['"', "'", '`'].some((q) => c.text.includes(`${q}./${base}${q}`) || c.text.includes(`${q}${rel}${q}`)))
  if (deps.some((d) => monacoOwn.has(d)) || reachedFromMonaco) monacoLanguages.push(m)
}
const monacoShellOverlap = shellFiles.filter((f) => MONACO_MARKER.test(f.text) || MONACO_NAME.test(path.posix.basename(f.file)))

const sum = (xs, k) => xs.reduce((a, x) => a + x[k], 0)
const lazy = allJs
  .filter((f) => !shellSet.has(f) && !closure.has(f) && !WORKER.test(f))
  .map(measure)
  .sort((a, b) => b.gzip - a.gzip)

const appShell = { raw: sum(shellFiles, 'raw'), gzip: sum(shellFiles, 'gzip'), budgetGzip: BUDGETS.appShellGzip }
appShell.ok = appShell.gzip <= appShell.budgetGzip
const monacoTotal = { raw: sum(monaco, 'raw'), gzip: sum(monaco, 'gzip'), budgetGzip: BUDGETS.monacoGzip }
monacoTotal.ok = monacoTotal.gzip <= monacoTotal.budgetGzip && monaco.length > 0
const onDemandTotal = { raw: sum(onDemand, 'raw'), gzip: sum(onDemand, 'gzip'), budgetGzip: BUDGETS.monacoOnDemandGzip }
onDemandTotal.ok = onDemandTotal.gzip <= onDemandTotal.budgetGzip
const ok = appShell.ok && monacoTotal.ok && onDemandTotal.ok

const strip = ({ text, ...rest }) => rest
const result = {
  date: new Date().toISOString(),
  dist: path.relative(root, dist),
  distBuiltAt: statSync(path.join(dist, 'index.html')).mtime.toISOString(),
  gzip: 'node:zlib gzipSync level 9; 1 KB = 1000 bytes',
  ok,
  appShell: { ...appShell, files: shellFiles.map(strip), notPreloaded, monacoInShell: monacoShellOverlap.map((f) => f.file) },
  monaco: { ...monacoTotal, files: monaco.map(strip), loadedBefore: lazyImporters },
  monacoOnDemand: { ...onDemandTotal, files: onDemand.map(strip) },
  monacoLanguages: { count: monacoLanguages.length, raw: sum(monacoLanguages, 'raw'), gzip: sum(monacoLanguages, 'gzip'), budgeted: false },
  workers: { raw: sum(workers, 'raw'), gzip: sum(workers, 'gzip'), files: workers.map(strip), budgeted: false },
  largestLazyChunks: lazy.slice(0, 10).map(strip),
  totals: { jsFiles: allJs.length, raw: sum(allJs.map(measure), 'raw'), gzip: sum(allJs.map(measure), 'gzip') },
}

mkdirSync(resultsDir, { recursive: true })
writeFileSync(path.join(resultsDir, 'bundle-latest.json'), JSON.stringify(result, null, 2) + '\n')

if (jsonOnly) {
  console.log(JSON.stringify(result, null, 2))
} else {
  const kb = (n) => `${(n / 1000).toFixed(1)} KB`
  const row = (name, raw, gz, note = '') => `  ${name.padEnd(46)} ${kb(raw).padStart(11)} ${kb(gz).padStart(11)}  ${note}`
  const head = `  ${'file'.padEnd(46)} ${'raw'.padStart(11)} ${'gzip'.padStart(11)}`
  const verdict = (o) => (o ? 'OK' : 'OVER BUDGET')
  log(`web/dist built ${result.distBuiltAt}`)
  log('\nApp shell (loaded synchronously by index.html)')
  log(head)
  for (const f of shellFiles) log(row(f.file, f.raw, f.gzip, f.how))
  log(row('TOTAL', appShell.raw, appShell.gzip, `budget ${kb(appShell.budgetGzip)} gzip: ${verdict(appShell.ok)}`))
  if (notPreloaded.length) log(`  note: ${notPreloaded.length} statically imported file(s) lack a modulepreload; counted above`)
  if (monacoShellOverlap.length) log(`  warning: Monaco code in the app shell: ${monacoShellOverlap.map((f) => f.file).join(', ')}`)
  log('\nMonaco chunks (workers apart)')
  log(head)
  for (const f of monaco) log(row(f.file, f.raw, f.gzip, `by ${f.how}`))
  log(row('TOTAL', monacoTotal.raw, monacoTotal.gzip, `budget ${kb(monacoTotal.budgetGzip)} gzip: ${verdict(monacoTotal.ok)}`))
  log('\nMonaco on demand (loaded after the editor, when a feature needs it)')
  log(head)
  for (const f of onDemand) log(row(f.file, f.raw, f.gzip))
  log(row('TOTAL', onDemandTotal.raw, onDemandTotal.gzip, `budget ${kb(onDemandTotal.budgetGzip)} gzip: ${verdict(onDemandTotal.ok)}`))
  log(row(`(+ ${monacoLanguages.length} lazy Monaco language chunks)`, result.monacoLanguages.raw, result.monacoLanguages.gzip, 'not budgeted'))
  log('\nWorkers (not budgeted)')
  for (const f of workers) log(row(f.file, f.raw, f.gzip))
  log(row('TOTAL', result.workers.raw, result.workers.gzip))
  log('\n10 largest lazy chunks (information)')
  for (const f of lazy.slice(0, 10)) log(row(f.file, f.raw, f.gzip, monacoSet.has(f.file) ? 'monaco' : onDemand.some((o) => o.file === f.file) ? 'monaco, on demand' : ''))
  log(`\nall JS: ${allJs.length} files, ${kb(result.totals.raw)} raw, ${kb(result.totals.gzip)} gzip`)
  log(`wrote ${path.relative(root, path.join(resultsDir, 'bundle-latest.json'))}`)
  log(ok ? '\nbundle budgets: PASS' : '\nbundle budgets: FAIL')
}
process.exit(ok ? 0 : 1)
