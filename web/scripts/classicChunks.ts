// Ships chosen chunks of the web build as classic scripts behind a tiny module of the same name, so Chromium keeps
// their compiled code between visits (issue 20).
//
// Why: Chromium (156, headed or headless; the `BackgroundResourceFetch` feature, on by default) streams every module
// script through the background fetcher, and that path never looks at V8's code cache: a module is parsed and compiled
// again on every page load, while a classic script's cache is consumed from its third load
// (`v8.deserializeOnBackground`). Measured with a 1.8 MB script on a disk profile, 5 loads each: classic 224 → 129 →
// 33 ms (deserialised), module 258–583 ms on every load (`v8.parseOnBackground`), the same module with
// `--disable-features=BackgroundResourceFetch` 37–52 ms from the third load. Monaco's editor chunk is 2.4 MB: parsing
// it (370–500 ms on this machine) sat on the path to an editable editor on every project open.
//
// How: for a chosen chunk `x-HASH.js`, the build writes
//   - `x-HASH.classic.js`: `__slipwayClassic["x-HASH.js"](function (deps, meta) { "use strict"; …the chunk's code… })`,
//     where its imports became `const { a: b } = deps[0]`, `import.meta` became `meta`, and its exports a returned
//     object; the function runs while the script evaluates, so the code V8 caches covers the chunk's top level;
//   - `x-HASH.js` (the same name, so every import of it stays as it is; rewritten once the bundle is written): imports the chunk's dependencies, adds a
//     `<script>` for the classic file, hands it the dependencies and its own `import.meta`, and exports what it returns
//     (a top-level await: the importer waits for it as it waited for the module).
// So that a classic file is fetched together with the modules rather than when its stub runs, every dynamic `import()`
// that leads to a chosen chunk first adds `<link rel="preload" as="script">` for its classic files, and index.html gets
// one beside each `<link rel="modulepreload">` of a chosen chunk (React, which the entry imports).
//
// With the service worker, web/scripts/build-sw.mjs must store the classic files again once installed: Chromium gives
// a script stored during install a full code cache, which costs more to take on than compiling the module.
//
// A module's exports are live bindings and these are copies taken once the chunk has run. The build therefore fails
// when a chosen chunk (or a chunk it imports from) assigns one of the exported names inside a function, i.e. after it
// has run; it also fails on anything else it cannot carry over (re-exports, top-level await, a chosen chunk that is
// missing or is an entry).
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as acorn from 'acorn'
import * as walk from 'acorn-walk'
import { init as lexerReady, parse as lexImports } from 'es-module-lexer'
import type { Plugin } from 'vite'

const REGISTRY = '__slipwayClassic'
const DEPS = '__slipwayDeps'
const META = '__slipwayMeta'
const PRELOAD = '__slipwayPreloadClassic'

/// Words that cannot be a binding's name in strict code: such export names go through a temporary.
const RESERVED = new Set(
  'await break case catch class const continue debugger default delete do else enum eval export extends false finally for function if implements import in instanceof interface let new null package private protected public return static super switch this throw true try typeof var void while with yield arguments'.split(
    ' ',
  ),
)
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

interface ImportEntry {
  /// The module specifier as written (`./index-AbC.js`).
  source: string
  /// `{ imported: local }` for named imports (`default` included); a namespace import's local name; neither for
  /// a side-effect import.
  named: Array<[imported: string, local: string]>
  namespace?: string
}

export interface SplitChunk {
  /// The module that replaces the chunk (same file name).
  stub: string
  /// The classic script with the chunk's code.
  classic: string
  /// What the chunk imports, by specifier, with the names it reads (for the live-binding check on the exporter).
  imports: ImportEntry[]
}

type AnyNode = acorn.AnyNode

function fail(file: string, message: string): never {
  throw new Error(`slipway:classic-chunks: ${file}: ${message} (web/scripts/classicChunks.ts)`)
}

function parse(code: string): acorn.Program {
  return acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'module' })
}

function exportName(node: acorn.Identifier | acorn.Literal): string {
  return node.type === 'Identifier' ? node.name : String(node.value)
}

type FunctionNode = acorn.FunctionDeclaration | acorn.FunctionExpression | acorn.ArrowFunctionExpression | acorn.AnonymousFunctionDeclaration

/// Code that runs later than the code around it: a function's body, a class's static block or field initialiser.
function isFunctionLike(node: AnyNode): node is FunctionNode | acorn.StaticBlock | acorn.PropertyDefinition {
  return (
    node.type === 'FunctionDeclaration' ||
    node.type === 'FunctionExpression' ||
    node.type === 'ArrowFunctionExpression' ||
    node.type === 'StaticBlock' ||
    node.type === 'PropertyDefinition'
  )
}

/// The chunk's exported names that it assigns inside a function (so after it has run): `exported name → local`. A
/// function called where it is written runs with the chunk, so it does not count, and neither does an assignment to
/// a name the function (or one around it) declares itself: that is another variable.
export function reassignedExports(code: string | acorn.Program): Map<string, string> {
  const ast = typeof code === 'string' ? parse(code) : code
  const localToExported = new Map<string, string[]>()
  for (const node of ast.body) {
    if (node.type !== 'ExportNamedDeclaration') continue
    if (node.declaration) {
      if (node.declaration.type === 'VariableDeclaration') {
        for (const d of node.declaration.declarations) for (const name of boundNames(d.id)) localToExported.set(name, [name])
      }
      continue
    }
    if (node.source) continue
    for (const s of node.specifiers) {
      if (s.local.type !== 'Identifier') continue
      localToExported.set(s.local.name, [...(localToExported.get(s.local.name) ?? []), exportName(s.exported)])
    }
  }
  const found = new Map<string, string>()
  const check = (target: AnyNode, ancestors: AnyNode[]) => {
    for (const name of boundNames(target)) {
      const exported = localToExported.get(name)
      if (!exported) continue
      const functions = ancestors.filter(isFunctionLike)
      // A function called where it is written (`(function () { … })()`, as TypeScript's enums and Monaco's
      // scheduler setup are) runs with the code around it: only the others run later.
      const later = functions.filter((f) => {
        const parent = ancestors[ancestors.indexOf(f) - 1]
        return !(parent?.type === 'CallExpression' && parent.callee === f)
      })
      if (later.length === 0) continue
      if (functions.some((f) => declares(f, name))) continue
      for (const e of exported) found.set(e, name)
    }
  }
  walk.ancestor(ast, {
    AssignmentExpression(n, _state, ancestors) {
      check(n.left, ancestors as AnyNode[])
    },
    UpdateExpression(n, _state, ancestors) {
      check(n.argument, ancestors as AnyNode[])
    },
    ForInStatement(n, _state, ancestors) {
      check(n.left, ancestors as AnyNode[])
    },
    ForOfStatement(n, _state, ancestors) {
      check(n.left, ancestors as AnyNode[])
    },
  })
  return found
}

/// The variables an assignment target rebinds: `a`, `[a, b]`, `{ a, b: c }`; none for `a.b` or `a[b]` (those change an
/// object, not a binding) or for a declaration (`for (const a of …)` declares a new one).
function boundNames(target: AnyNode | null | undefined): string[] {
  if (!target) return []
  switch (target.type) {
    case 'Identifier':
      return [target.name]
    case 'ObjectPattern':
      return target.properties.flatMap((p) => boundNames(p.type === 'RestElement' ? p.argument : p.value))
    case 'ArrayPattern':
      return target.elements.flatMap((e) => boundNames(e))
    case 'AssignmentPattern':
      return boundNames(target.left)
    case 'RestElement':
      return boundNames(target.argument)
    case 'ParenthesizedExpression':
      return boundNames(target.expression)
    default:
      return []
  }
}

/// The names `fn` declares itself (its own name, its parameters, and every var, let, const, function, class or catch
/// binding anywhere in its body), computed once per function.
const declaredCache = new WeakMap<AnyNode, Set<string>>()
function declares(fn: FunctionNode | acorn.StaticBlock | acorn.PropertyDefinition, name: string): boolean {
  let names = declaredCache.get(fn)
  if (!names) {
    const found = new Set<string>()
    const mark = (pattern: AnyNode | null | undefined) => {
      for (const n of boundNames(pattern)) found.add(n)
    }
    let body: AnyNode | null | undefined
    if (fn.type === 'StaticBlock') body = fn
    else if (fn.type === 'PropertyDefinition') body = fn.value
    else {
      if (fn.id) found.add(fn.id.name)
      for (const p of fn.params) mark(p)
      body = fn.body
    }
    if (body) {
      walk.simple(body, {
        VariableDeclarator(n) {
          mark(n.id)
        },
        FunctionDeclaration(n) {
          if (n.id) found.add(n.id.name)
        },
        ClassDeclaration(n) {
          if (n.id) found.add(n.id.name)
        },
        CatchClause(n) {
          mark(n.param)
        },
      })
    }
    declaredCache.set(fn, (names = found))
  }
  return names.has(name)
}

/// Splits one module chunk into its stub module and its classic script. `file` is the chunk's file name (its key in
/// the registry); `classicUrl` is the classic file's path relative to the chunk.
export function splitChunk(code: string, file: string, classicUrl: string, ast: acorn.Program = parse(code)): SplitChunk {
  if (code.includes(DEPS) || code.includes(META) || code.includes(REGISTRY)) fail(file, `the chunk already uses ${DEPS}, ${META} or ${REGISTRY}`)
  const edits: Array<{ start: number; end: number; text: string }> = []
  const imports: ImportEntry[] = []
  const exports: Array<[exported: string, local: string]> = []
  for (const node of ast.body) {
    if (node.type === 'ImportDeclaration') {
      const entry: ImportEntry = { source: String(node.source.value), named: [] }
      for (const s of node.specifiers) {
        if (s.type === 'ImportNamespaceSpecifier') entry.namespace = s.local.name
        else if (s.type === 'ImportDefaultSpecifier') entry.named.push(['default', s.local.name])
        else entry.named.push([exportName(s.imported), s.local.name])
      }
      if (node.attributes?.length) fail(file, 'an import with attributes')
      imports.push(entry)
      edits.push({ start: node.start, end: node.end, text: '' })
    } else if (node.type === 'ExportNamedDeclaration') {
      if (node.declaration || node.source) fail(file, 'an export form other than `export { local as name }`')
      for (const s of node.specifiers) {
        if (s.local.type !== 'Identifier') fail(file, 'an export of a string name')
        exports.push([exportName(s.exported), s.local.name])
      }
      edits.push({ start: node.start, end: node.end, text: '' })
    } else if (node.type === 'ExportAllDeclaration' || node.type === 'ExportDefaultDeclaration') {
      fail(file, `an ${node.type}`)
    }
  }
  walk.ancestor(ast, {
    MetaProperty(n) {
      if (n.meta.name === 'import') edits.push({ start: n.start, end: n.end, text: META })
    },
    AwaitExpression(_n, _state, ancestors) {
      if (!(ancestors as AnyNode[]).some(isFunctionLike)) fail(file, 'a top-level await')
    },
    ForOfStatement(n, _state, ancestors) {
      if (n.await && !(ancestors as AnyNode[]).some(isFunctionLike)) fail(file, 'a top-level for await')
    },
  })
  edits.sort((a, b) => a.start - b.start)
  let body = ''
  let at = 0
  for (const e of edits) {
    if (e.start < at) fail(file, 'overlapping edits')
    body += code.slice(at, e.start) + e.text
    at = e.end
  }
  body += code.slice(at)

  const bindings = imports
    .map((entry, i) => {
      const parts: string[] = []
      if (entry.namespace) parts.push(`const ${entry.namespace} = ${DEPS}[${i}];`)
      if (entry.named.length) parts.push(`const { ${entry.named.map(([imported, local]) => `${JSON.stringify(imported)}: ${local}`).join(', ')} } = ${DEPS}[${i}];`)
      return parts.join('')
    })
    .join('')
  const returned = `return { ${exports.map(([exported, local]) => `${JSON.stringify(exported)}: ${local}`).join(', ')} };`
  const classic = `${REGISTRY}[${JSON.stringify(file)}](function (${DEPS}, ${META}) {"use strict";${bindings}\n${body}\n${returned}\n});\n`

  const direct = exports.filter(([exported]) => IDENTIFIER.test(exported) && !RESERVED.has(exported)).map(([exported]) => exported)
  const indirect = exports.filter(([exported]) => !(IDENTIFIER.test(exported) && !RESERVED.has(exported)))
  const stub = [
    `// ${file} runs as a classic script so Chromium keeps its compiled code (web/scripts/classicChunks.ts).`,
    ...imports.map((entry, i) => `import * as __d${i} from ${JSON.stringify(entry.source)};`),
    `const __m = await new Promise((resolve, reject) => {`,
    `  const registry = (globalThis.${REGISTRY} ??= {});`,
    `  const key = ${JSON.stringify(file)};`,
    `  const script = document.createElement("script");`,
    `  registry[key] = (factory) => {`,
    `    delete registry[key];`,
    `    try { resolve(factory([${imports.map((_, i) => `__d${i}`).join(', ')}], import.meta)); } catch (error) { reject(error); }`,
    `  };`,
    `  script.src = new URL(${JSON.stringify(classicUrl)}, import.meta.url).href;`,
    `  script.onerror = () => { delete registry[key]; reject(new TypeError("Failed to fetch dynamically imported module: " + script.src)); };`,
    `  document.head.appendChild(script);`,
    `});`,
    direct.length ? `export const { ${direct.join(', ')} } = __m;` : '',
    ...indirect.map(([exported], i) => `const __x${i} = __m[${JSON.stringify(exported)}];\nexport { __x${i} as ${JSON.stringify(exported)} };`),
    '',
  ].join('\n')
  return { stub, classic, imports }
}

/// The function `addClassicPreloads` appends to a chunk: adds `<link rel="preload" as="script">` for classic files not
/// yet requested (the stub's `<script>` then finds the response in the memory cache).
const PRELOAD_FUNCTION = `function ${PRELOAD}(files, base) {
  if (typeof document === "undefined") return;
  for (const file of files) {
    const href = new URL(file, base).href;
    if (document.querySelector(\`script[src="\${href}"], link[rel="preload"][href="\${href}"]\`)) continue;
    const link = document.createElement("link");
    link.rel = "preload";
    link.as = "script";
    link.href = href;
    document.head.appendChild(link);
  }
}
`

/// Makes every `import("./x.js")` in `code` whose target needs classic scripts (`classicFor` answers them, relative to
/// the chunk) ask for those scripts at the same moment as the modules: `(preload([...], import.meta.url), import(…))`.
/// Without it a classic file is requested only when its stub runs, after the whole module graph has arrived: later,
/// and (with no service worker) possibly after the network has gone.
export async function addClassicPreloads(code: string, classicFor: (specifier: string) => readonly string[]): Promise<string> {
  await lexerReady
  const [imports] = lexImports(code)
  const edits: Array<{ at: number; text: string }> = []
  for (const i of imports) {
    if (i.d < 0 || !i.n) continue
    const files = classicFor(i.n)
    if (!files.length) continue
    edits.push({ at: i.ss, text: `(${PRELOAD}(${JSON.stringify(files)}, import.meta.url), ` }, { at: i.se, text: ')' })
  }
  if (!edits.length) return code
  if (code.includes(PRELOAD)) throw new Error(`the chunk already uses ${PRELOAD}`)
  edits.sort((a, b) => a.at - b.at)
  let out = ''
  let at = 0
  for (const e of edits) {
    out += code.slice(at, e.at) + e.text
    at = e.at
  }
  return `${out}${code.slice(at)}\n${PRELOAD_FUNCTION}`
}

/// Adds `<link rel="preload" as="script">` of the classic file after each `<link rel="modulepreload">` of a chunk in
/// `classic` (file names under the build's root, `assets/x-HASH.js`). Without `crossorigin`, like the stub's `<script>`,
/// so the two requests match.
export function preloadClassicInHtml(html: string, classic: ReadonlySet<string>): string {
  return html.replace(/<link rel="modulepreload"[^>]*? href="\/([^"]+)"[^>]*>/g, (tag, file: string) =>
    classic.has(file) ? `${tag}\n    <link rel="preload" as="script" href="/${file.replace(/\.js$/, '.classic.js')}">` : tag,
  )
}

interface BuiltChunk {
  fileName: string
  code: string
}

function checkedSplit(code: string, fileName: string, base: string, classicBase: string, chunks: readonly BuiltChunk[], late: (chunk: BuiltChunk) => Map<string, string>): SplitChunk {
  const ast = parse(code)
  const reassigned = reassignedExports(ast)
  if (reassigned.size) fail(fileName, `assigns its exports ${[...reassigned].map(([exported, local]) => `${exported} (${local})`).join(', ')} after it has run`)
  const split = splitChunk(code, base, `./${classicBase}`, ast)
  const dir = fileName.slice(0, fileName.length - base.length)
  for (const entry of split.imports) {
    if (!entry.named.length) continue
    const target = new URL(entry.source, `file:///${dir}`).pathname.slice(1)
    const dep = chunks.find((c) => c.fileName === target)
    if (!dep) fail(fileName, `imports ${entry.source}, which is not a chunk of this build`)
    const read = entry.named.map(([imported]) => imported).filter((n) => late(dep).has(n))
    if (read.length) fail(fileName, `reads ${read.join(', ')} from ${dep.fileName}, which assigns them after it has run`)
  }
  return split
}

/// The plugin: `names` are chunk names as Vite gives them (`editor.api` for `assets/editor.api-HASH.js`).
export function classicChunks(names: readonly string[]): Plugin {
  // A chunk keeps its name, and hashed files are cached for good (HTTP cache, service worker): whatever changes what
  // this file writes must change those names too, so this file's own text and the list of chosen chunks go into the
  // hashes of the chunks it rewrites (the chosen ones, and those with dynamic imports, which may get preloads).
  const version = createHash('sha256').update(readFileSync(fileURLToPath(import.meta.url))).update(JSON.stringify(names)).digest('hex')
  return {
    name: 'slipway:classic-chunks',
    apply: 'build',
    enforce: 'post',
    augmentChunkHash(chunk) {
      return names.includes(chunk.name) || chunk.dynamicImports.length > 0 ? version : undefined
    },
    // After the bundle is written, so the code is final: Vite's own post-build plugins (which run after every user
    // plugin's generateBundle) still rewrite chunks, e.g. the `__VITE_PRELOAD__` dependency lists of dynamic imports.
    async writeBundle(options, bundle) {
      const outDir = options.dir
      if (!outDir) return this.error('slipway:classic-chunks: the build has no output directory')
      const chunks = Object.values(bundle).filter((o) => o.type === 'chunk')
      const byFile = new Map(chunks.map((c) => [c.fileName, c]))
      const chosen = names.map((name) => {
        const chunk = chunks.find((c) => c.name === name)
        if (!chunk) return this.error(`slipway:classic-chunks: no chunk named ${name}; review the list in vite.config.ts`)
        if (chunk.isEntry) return this.error(`slipway:classic-chunks: ${chunk.fileName} is an entry; only lazy chunks can be classic`)
        return chunk
      })
      const chosenFiles = new Set(chosen.map((c) => c.fileName))
      /// The chunk and every chunk it imports statically, directly or not.
      const closure = (fileName: string): Set<string> => {
        const seen = new Set<string>()
        const queue = [fileName]
        while (queue.length) {
          const next = queue.pop()!
          if (seen.has(next)) continue
          seen.add(next)
          queue.push(...(byFile.get(next)?.imports ?? []))
        }
        return seen
      }
      const classicFile = (fileName: string) => fileName.replace(/\.js$/, '.classic.js')
      for (const chunk of chosen) {
        // In an import cycle the chunk's code would run in a later task than the modules around it expect.
        if (chunk.imports.some((i) => closure(i).has(chunk.fileName))) return this.error(`slipway:classic-chunks: ${chunk.fileName} is in an import cycle; it cannot be classic`)
      }
      try {
        for (const chunk of chunks) {
          const dir = path.posix.dirname(chunk.fileName)
          const code = await addClassicPreloads(chunk.code, (specifier) => {
            if (!specifier.startsWith('./') && !specifier.startsWith('../')) return []
            const target = path.posix.join(dir, specifier)
            return [...closure(target)].filter((f) => chosenFiles.has(f)).map((f) => `./${path.posix.relative(dir, classicFile(f))}`)
          })
          if (code === chunk.code) continue
          chunk.code = code
          if (!chosenFiles.has(chunk.fileName)) writeFileSync(path.join(outDir, chunk.fileName), code)
        }
      } catch (error) {
        return this.error(`slipway:classic-chunks: ${error instanceof Error ? error.message : String(error)}`)
      }
      const reassigned = new Map<string, Map<string, string>>()
      const late = (chunk: BuiltChunk) => {
        let found = reassigned.get(chunk.fileName)
        if (!found) reassigned.set(chunk.fileName, (found = reassignedExports(chunk.code)))
        return found
      }
      for (const chunk of chosen) {
        const base = path.posix.basename(chunk.fileName)
        const classicBase = path.posix.basename(classicFile(chunk.fileName))
        let split: SplitChunk
        try {
          split = checkedSplit(chunk.code, chunk.fileName, base, classicBase, chunks, late)
        } catch (error) {
          return this.error(error instanceof Error ? error.message : String(error))
        }
        if (split.classic.includes('__VITE_PRELOAD__')) return this.error(`slipway:classic-chunks: ${chunk.fileName} still has Vite's preload placeholder`)
        chunk.code = split.stub
        writeFileSync(path.join(outDir, chunk.fileName), split.stub)
        writeFileSync(path.join(outDir, classicFile(chunk.fileName)), split.classic)
      }
      // A chosen chunk the page loads at once (Vite lists it as a modulepreload) has its classic file preloaded beside
      // it, so it is fetched with the modules rather than when its stub runs.
      for (const html of Object.values(bundle).filter((o) => o.type === 'asset' && o.fileName.endsWith('.html'))) {
        const file = path.join(outDir, html.fileName)
        const text = readFileSync(file, 'utf8')
        const out = preloadClassicInHtml(text, chosenFiles)
        if (out !== text) writeFileSync(file, out)
      }
    },
  }
}
