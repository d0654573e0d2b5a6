/// Pure (over an injected file system): finds the declaration files (.d.ts) of the packages a project uses in its
/// runtime's node_modules, for the editor's TypeScript service. Starts from the project's dependencies and every
/// `@types/*` package, reads each package's `types`/`typings`/`exports`/`typesVersions` entries and top-level
/// .d.ts files, and follows their imports and `/// <reference>`s — within the package, and into other packages
/// (falling back to `@types/<name>`). Reading stops at a byte budget. A cache from an earlier run makes refreshes
/// incremental: a package whose version did not change is not read again.

export interface TypesFs {
  readdir(path: string): Promise<Array<{ name: string; kind: 'file' | 'directory' }>>
  readFile(path: string, encoding: 'utf-8'): Promise<string>
}

export interface TypeFile {
  /// Relative to the project root, e.g. `node_modules/react/index.d.ts`.
  path: string
  content: string
}

export interface PackageTypes {
  /// Folder name under node_modules, e.g. `react`, `@types/react`.
  name: string
  version: string
  /// The package's (trimmed) package.json and its declaration files.
  files: TypeFile[]
  bytes: number
  /// Packages its declarations import.
  imports: string[]
  /// Ships no declarations (and none were found under @types): the editor declares it as an `any` module.
  untyped: boolean
}

export interface TypesResult {
  packages: PackageTypes[]
  /// `@types/*` packages found, as type reference names (`node`, `react`, `babel__core`).
  typeRoots: string[]
  bytes: number
  /// Some files were left out because the budget ran out.
  truncated: boolean
}

export interface DiscoverOptions {
  /// Package names the project depends on (package.json dependencies, devDependencies, …).
  roots: readonly string[]
  /// Total budget in characters (about bytes for declaration files). Default 20 MB.
  maxBytes?: number
  /// Budget of a single package. Default 8 MB.
  maxPackageBytes?: number
  /// The previous result's packages by name: reused without reading when the version is unchanged.
  cache?: ReadonlyMap<string, PackageTypes>
}

const MB = 1024 * 1024
const DTS = /\.d\.[cm]?ts$/

/// Node's built-in modules: importing them means `@types/node`.
const NODE_BUILTINS = new Set(
  'assert async_hooks buffer child_process cluster console constants crypto dgram diagnostics_channel dns domain events fs http http2 https inspector module net os path perf_hooks process punycode querystring readline repl stream string_decoder sys timers tls trace_events tty url util v8 vm wasi worker_threads zlib'.split(
    ' ',
  ),
)

export async function discoverTypes(fs: TypesFs, options: DiscoverOptions): Promise<TypesResult> {
  const maxBytes = options.maxBytes ?? 20 * MB
  const maxPackageBytes = options.maxPackageBytes ?? 8 * MB
  const result: TypesResult = { packages: [], typeRoots: [], bytes: 0, truncated: false }

  const listings = new Map<string, Promise<Set<string> | undefined>>()
  const list = (dir: string) => {
    let p = listings.get(dir)
    if (!p) {
      p = fs.readdir(dir).then(
        (entries) => new Set(entries.filter((e) => e.kind === 'directory').map((e) => e.name)),
        () => undefined,
      )
      listings.set(dir, p)
    }
    return p
  }
  const installed = async (name: string): Promise<boolean> => {
    const slash = name.indexOf('/')
    if (name.startsWith('@') && slash > 0) return (await list(`node_modules/${name.slice(0, slash)}`))?.has(name.slice(slash + 1)) ?? false
    return (await list('node_modules'))?.has(name) ?? false
  }

  if (!(await list('node_modules'))) return result
  const types = [...((await list('node_modules/@types')) ?? [])].sort()
  result.typeRoots = types

  const queue: string[] = []
  const seen = new Set<string>()
  const enqueue = (name: string) => {
    if (!seen.has(name)) {
      seen.add(name)
      queue.push(name)
    }
  }
  for (const r of options.roots) enqueue(r)
  for (const t of types) enqueue(`@types/${t}`)

  while (queue.length) {
    const requested = queue.shift()!
    let name = requested
    if (!(await installed(name))) {
      const alt = typesPackageOf(name)
      if (seen.has(alt) || !(await installed(alt))) continue
      name = alt
      seen.add(alt)
    }
    const json = await readJson(fs, `node_modules/${name}/package.json`)
    if (!json) continue
    const cached = options.cache?.get(name)
    const budget = Math.min(maxPackageBytes, maxBytes - result.bytes)
    let pkg: PackageTypes
    if (cached && cached.version === String(json.version ?? '') && cached.bytes <= budget) pkg = cached
    else pkg = await readPackage(fs, name, json, budget, () => (result.truncated = true))
    if (pkg.untyped && !name.startsWith('@types/')) {
      const alt = typesPackageOf(name)
      if (await installed(alt)) {
        // The types live in @types/<name>; this package only needs its package.json (for `exports`).
        pkg = { ...pkg, untyped: false }
        enqueue(alt)
      }
    }
    result.packages.push(pkg)
    result.bytes += pkg.bytes
    for (const dep of pkg.imports) enqueue(dep)
    if (result.bytes >= maxBytes) {
      result.truncated ||= queue.length > 0
      break
    }
  }
  return result
}

/// `react` → `@types/react`, `@babel/core` → `@types/babel__core`, `node:fs`/`fs` → `@types/node`.
export function typesPackageOf(name: string): string {
  if (name.startsWith('@types/')) return name
  if (name.startsWith('@')) return `@types/${name.slice(1).replace('/', '__')}`
  return `@types/${name}`
}

/// The package a bare import specifier names: `react/jsx-runtime` → `react`, `@a/b/c` → `@a/b`, `node:fs` → `node`.
/// Relative and absolute specifiers, URLs and built-ins handled by TypeScript itself give `undefined`.
export function packageOfSpecifier(spec: string): string | undefined {
  if (!spec || spec.startsWith('.') || spec.startsWith('/') || /^[a-z]+:\/\//i.test(spec)) return undefined
  if (spec.startsWith('node:')) return 'node'
  const parts = spec.split('/')
  const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!
  if (NODE_BUILTINS.has(name)) return 'node'
  return name
}

/// Module specifiers and references a declaration file depends on.
export function declarationImports(source: string): { relative: string[]; bare: string[]; referencePaths: string[]; referenceTypes: string[] } {
  const relative = new Set<string>()
  const bare = new Set<string>()
  const referencePaths = new Set<string>()
  const referenceTypes = new Set<string>()
  const add = (spec: string) => (spec.startsWith('.') ? relative.add(spec) : bare.add(spec))
  for (const m of source.matchAll(/\bfrom\s*['"]([^'"\n]+)['"]/g)) add(m[1]!)
  for (const m of source.matchAll(/\bimport\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g)) add(m[1]!)
  for (const m of source.matchAll(/(?:^|[;\s])import\s*['"]([^'"\n]+)['"]/g)) add(m[1]!)
  for (const m of source.matchAll(/\brequire\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g)) add(m[1]!)
  for (const m of source.matchAll(/^\s*\/\/\/\s*<reference\s+path\s*=\s*['"]([^'"]+)['"]/gm)) referencePaths.add(m[1]!)
  for (const m of source.matchAll(/^\s*\/\/\/\s*<reference\s+types\s*=\s*['"]([^'"]+)['"]/gm)) referenceTypes.add(m[1]!)
  return { relative: [...relative], bare: [...bare], referencePaths: [...referencePaths], referenceTypes: [...referenceTypes] }
}

interface PackageJson {
  name?: unknown
  version?: unknown
  types?: unknown
  typings?: unknown
  main?: unknown
  module?: unknown
  exports?: unknown
  typesVersions?: unknown
  type?: unknown
}

/// Entry files (relative to the package folder, no `./`) worth trying: declared types first, then declarations
/// next to the JavaScript entries, then `index.d.ts`.
export function typeEntries(pkg: PackageJson): string[] {
  const out: string[] = []
  const add = (p: unknown) => {
    if (typeof p !== 'string' || p.includes('*')) return
    const clean = p.replace(/^\.\//, '')
    if (clean && !out.includes(clean)) out.push(clean)
  }
  add(pkg.types)
  add(pkg.typings)
  const exportTypes: string[] = []
  const jsTargets: string[] = []
  const walk = (v: unknown, key?: string) => {
    if (typeof v === 'string') {
      if (key === 'types' || key === 'typings' || DTS.test(v)) exportTypes.push(v)
      else if (/\.[cm]?js$/.test(v)) jsTargets.push(v)
    } else if (Array.isArray(v)) for (const x of v) walk(x, key)
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        // `types@<=5.0`-style conditions are for older compilers than the editor's.
        if (!k.startsWith('types@')) walk(x, k.startsWith('.') ? undefined : k)
      }
    }
  }
  walk(pkg.exports)
  exportTypes.forEach(add)
  if (pkg.typesVersions && typeof pkg.typesVersions === 'object') {
    for (const mapping of Object.values(pkg.typesVersions)) {
      if (!mapping || typeof mapping !== 'object') continue
      for (const targets of Object.values(mapping as Record<string, unknown>)) {
        if (Array.isArray(targets)) for (const t of targets) if (typeof t === 'string') add(t.replace('*', 'index.d.ts'))
      }
    }
  }
  for (const js of [pkg.main, pkg.module, ...jsTargets]) if (typeof js === 'string') add(declarationFor(js))
  add('index.d.ts')
  return out
}

/// The declaration file TypeScript pairs with a JavaScript file: `a.js` → `a.d.ts`, `a.mjs` → `a.d.mts`.
function declarationFor(js: string): string {
  return js.replace(/\.js$/, '.d.ts').replace(/\.mjs$/, '.d.mts').replace(/\.cjs$/, '.d.cts')
}

/// Candidate files for a module path (relative to the project root, already joined), in TypeScript's order.
export function candidatesFor(path: string): string[] {
  if (DTS.test(path)) return [path]
  if (/\.[cm]?js$/.test(path)) return [declarationFor(path), path.replace(/\.[cm]?js$/, '.ts')]
  if (/\.[cm]?tsx?$/.test(path)) return [path]
  if (path.endsWith('.json')) return []
  return [`${path}.d.ts`, `${path}/index.d.ts`, `${path}.d.mts`, `${path}.d.cts`]
}

/// Joins and normalises `a/b` + `../c` → `a/c`; `undefined` when it climbs out of the root.
export function joinRelative(dir: string, spec: string): string | undefined {
  const parts = dir ? dir.split('/') : []
  for (const seg of spec.split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') {
      if (!parts.length) return undefined
      parts.pop()
    } else parts.push(seg)
  }
  return parts.join('/')
}

async function readJson(fs: TypesFs, path: string): Promise<PackageJson | undefined> {
  try {
    const parsed: unknown = JSON.parse(await fs.readFile(path, 'utf-8'))
    return parsed && typeof parsed === 'object' ? (parsed as PackageJson) : undefined
  } catch {
    return undefined
  }
}

async function readPackage(fs: TypesFs, name: string, json: PackageJson, budget: number, onTruncated: () => void): Promise<PackageTypes> {
  const root = `node_modules/${name}`
  // Only what module resolution reads; keeps the language service's copy small.
  const trimmed: Record<string, unknown> = {}
  for (const k of ['name', 'version', 'type', 'types', 'typings', 'main', 'module', 'exports', 'typesVersions'] as const) {
    if (json[k] !== undefined) trimmed[k] = json[k]
  }
  const manifest = JSON.stringify(trimmed)
  const files: TypeFile[] = [{ path: `${root}/package.json`, content: manifest }]
  let bytes = manifest.length
  const imports = new Set<string>()
  const loaded = new Set<string>()
  const tried = new Set<string>()
  const pending: string[][] = []

  for (const entry of typeEntries(json)) {
    const joined = joinRelative(root, entry)
    if (joined) pending.push(candidatesFor(joined))
  }
  try {
    for (const e of await fs.readdir(root)) if (e.kind === 'file' && DTS.test(e.name)) pending.push([`${root}/${e.name}`])
  } catch {
    // An unreadable folder: the entries above are all we can try.
  }

  let declarations = 0
  while (pending.length) {
    const candidates = pending.shift()!
    if (candidates.some((c) => loaded.has(c))) continue
    for (const path of candidates) {
      if (tried.has(path)) continue
      tried.add(path)
      let content: string
      try {
        content = await fs.readFile(path, 'utf-8')
      } catch {
        continue
      }
      if (bytes + content.length > budget) {
        onTruncated()
        break
      }
      loaded.add(path)
      files.push({ path, content })
      bytes += content.length
      declarations++
      const dir = path.slice(0, path.lastIndexOf('/'))
      const deps = declarationImports(content)
      for (const spec of [...deps.relative, ...deps.referencePaths]) {
        const joined = joinRelative(dir, spec)
        if (joined?.startsWith('node_modules/')) pending.push(candidatesFor(joined))
      }
      for (const spec of deps.bare) {
        const pkg = packageOfSpecifier(spec)
        if (pkg === name) {
          // A self-import by subpath (`react/jsx-runtime` inside react): stay in this package.
          const joined = joinRelative(root, spec.slice(name.length + 1))
          if (joined) pending.push(candidatesFor(joined))
        } else if (pkg) imports.add(pkg)
      }
      for (const t of deps.referenceTypes) {
        const pkg = packageOfSpecifier(t)
        if (pkg && pkg !== name) imports.add(pkg === 'node' ? '@types/node' : pkg)
      }
      break
    }
  }
  imports.delete(name)
  if (name.startsWith('@types/')) imports.delete(name.slice('@types/'.length))
  return { name, version: String(json.version ?? ''), files, bytes, imports: [...imports].sort(), untyped: declarations === 0 }
}

/// Root files an install rewrites when it is done: `npm i <pkg>` in a shell saves the package to package.json and
/// writes package-lock.json last, when node_modules is complete.
const INSTALL_MARKERS = new Set(['package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml'])

/// Whether a change to these project paths means node_modules' declarations must be read again (an install ran).
export function installChanged(paths: Iterable<string>): boolean {
  for (const p of paths) if (INSTALL_MARKERS.has(p)) return true
  return false
}
