/// Pure: the TypeScript compiler options the editor's language service runs with — sensible defaults for a modern
/// web project, refined by the project's own tsconfig.json (following `extends` and Vite-style `references`) — and
/// the small generated declaration file that stands in for what a real `tsc` finds by listing folders.
/// Numbers are TypeScript's enum values (the language service takes them as numbers).

export type CompilerOptions = Record<string, unknown>

const TARGET_ESNEXT = 99
const MODULE_ESNEXT = 99
const RESOLUTION = { classic: 1, node: 2, node10: 2, node16: 3, nodenext: 99, bundler: 100 } as const
const JSX = { preserve: 1, react: 2, 'react-native': 3, 'react-jsx': 4, 'react-jsxdev': 5 } as const

/// Where node_modules lives for the language service (its files are added under file:///).
export const NODE_MODULES_ROOT = 'file:///node_modules'

export const BASE_OPTIONS: CompilerOptions = {
  target: TARGET_ESNEXT,
  module: MODULE_ESNEXT,
  moduleResolution: RESOLUTION.bundler,
  jsx: JSX['react-jsx'],
  allowJs: true,
  checkJs: false,
  esModuleInterop: true,
  allowSyntheticDefaultImports: true,
  skipLibCheck: true,
  isolatedModules: true,
  // JSON files are not given to the language service (it would parse them as scripts); the generated declarations
  // type JSON imports as `any` instead.
  resolveJsonModule: false,
  allowImportingTsExtensions: true,
  noEmit: true,
  // Monaco's worker needs this to take files whose names it does not know as sources.
  allowNonTsExtensions: true,
  typeRoots: [`${NODE_MODULES_ROOT}/@types`],
}

const PASS_THROUGH = [
  'strict',
  'noImplicitAny',
  'strictNullChecks',
  'strictFunctionTypes',
  'noImplicitReturns',
  'noImplicitOverride',
  'noUnusedLocals',
  'noUnusedParameters',
  'noFallthroughCasesInSwitch',
  'noUncheckedIndexedAccess',
  'exactOptionalPropertyTypes',
  'experimentalDecorators',
  'emitDecoratorMetadata',
  'useDefineForClassFields',
  'jsxImportSource',
  'checkJs',
  'allowJs',
  'verbatimModuleSyntax',
] as const

export interface ProjectConfig {
  options: CompilerOptions
  /// `compilerOptions.types` of the project (e.g. `vite/client`), referenced by the generated declarations.
  types: string[]
}

/// The options for a project whose files `read` returns (undefined for a missing file).
export function projectConfig(read: (path: string) => string | undefined): ProjectConfig {
  const options: CompilerOptions = { ...BASE_OPTIONS }
  const types: string[] = []
  const chain = tsconfigChain(read)
  for (const { dir, json } of chain) {
    const co = (json as { compilerOptions?: Record<string, unknown> }).compilerOptions
    if (!co || typeof co !== 'object') continue
    for (const key of PASS_THROUGH) if (co[key] !== undefined) options[key] = co[key]
    const jsx = typeof co.jsx === 'string' ? JSX[co.jsx.toLowerCase() as keyof typeof JSX] : undefined
    if (jsx) options.jsx = jsx
    const res = typeof co.moduleResolution === 'string' ? RESOLUTION[co.moduleResolution.toLowerCase() as keyof typeof RESOLUTION] : undefined
    if (res === RESOLUTION.node16 || res === RESOLUTION.nodenext) {
      options.moduleResolution = res
      options.module = res === RESOLUTION.node16 ? 100 : 199
    } else if (res === RESOLUTION.node) options.moduleResolution = res
    if (typeof co.baseUrl === 'string') options.baseUrl = fileUrl(joinDir(dir, co.baseUrl))
    if (co.paths && typeof co.paths === 'object') {
      options.paths = co.paths
      options.baseUrl ??= fileUrl(dir)
    }
    if (Array.isArray(co.types)) {
      types.length = 0
      for (const t of co.types) if (typeof t === 'string') types.push(t)
    }
  }
  return { options, types }
}

/// tsconfig.json (or jsconfig.json) and what it extends, base first. A solution-style config (`files: []` with
/// `references`, as Vite's templates write) is replaced by the referenced app config.
function tsconfigChain(read: (path: string) => string | undefined): Array<{ dir: string; json: Record<string, unknown> }> {
  let path = read('tsconfig.json') !== undefined ? 'tsconfig.json' : read('jsconfig.json') !== undefined ? 'jsconfig.json' : undefined
  if (!path) return []
  const root = parseJsonc(read(path)!)
  const refs = root?.references
  if (root && Array.isArray(refs) && refs.length && !root.compilerOptions) {
    const refPaths = refs.map((r: { path?: unknown }) => (typeof r?.path === 'string' ? r.path : '')).filter(Boolean)
    const pick = refPaths.find((p) => /app/i.test(p)) ?? refPaths[0]
    if (pick) {
      const joined = joinDir('', pick)
      path = joined.endsWith('.json') ? joined : `${joined}/tsconfig.json`
    }
  }
  const chain: Array<{ dir: string; json: Record<string, unknown> }> = []
  for (let depth = 0; path && depth < 5; depth++) {
    const text = read(path)
    const json = text === undefined ? undefined : parseJsonc(text)
    if (!json) break
    const dir: string = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : ''
    chain.unshift({ dir, json })
    const ext = json.extends
    // Only project-relative extends; package ones (`@tsconfig/node20`) live in node_modules.
    path = typeof ext === 'string' && ext.startsWith('.') ? joinDir(dir, ext.endsWith('.json') ? ext : `${ext}.json`) : undefined
  }
  return chain
}

/// JSON with comments and trailing commas (tsconfig's dialect); `undefined` when it is not an object.
export function parseJsonc(text: string): Record<string, unknown> | undefined {
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === '"') {
      let j = i + 1
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1
      out += text.slice(i, j + 1)
      i = j
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++
      out += '\n'
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2)
      i = end < 0 ? text.length : end + 1
    } else out += c
  }
  try {
    const parsed: unknown = JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'))
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/// Every package a package.json depends on, in the order a person would care about them.
export function dependencyNames(packageJson: string | undefined): string[] {
  const json = packageJson ? parseJsonc(packageJson) : undefined
  if (!json) return []
  const names = new Set<string>()
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    const deps = json[field]
    if (deps && typeof deps === 'object') for (const n of Object.keys(deps)) names.add(n)
  }
  return [...names]
}

/// A generated declaration file: references what `tsc` would include by itself (every `@types/*`, the project's
/// `types`), and declares packages without types as `any` modules so their imports are not errors.
export function autoTypesSource(typeRoots: readonly string[], projectTypes: readonly string[], untyped: readonly string[]): string {
  const lines = ['// Generated by Slipway for the editor: what tsc finds by listing node_modules.']
  lines.push("declare module '*.json' { const value: any; export default value }")
  for (const t of new Set([...typeRoots, ...projectTypes])) lines.push(`/// <reference types=${JSON.stringify(t)} />`)
  for (const name of untyped) {
    lines.push(`declare module ${JSON.stringify(name)};`)
    lines.push(`declare module ${JSON.stringify(`${name}/*`)};`)
  }
  return lines.join('\n') + '\n'
}

function joinDir(dir: string, rel: string): string {
  const parts = dir ? dir.split('/') : []
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') parts.pop()
    else parts.push(seg)
  }
  return parts.join('/')
}

function fileUrl(dir: string): string {
  return dir ? `file:///${dir}` : 'file:///'
}
