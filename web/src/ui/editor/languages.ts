/// Which Monaco language a file is edited in, by name and extension. Pure: no Monaco import, so the tab bar and the
/// tests can use it without loading the editor.

const BY_NAME: Record<string, string> = {
  dockerfile: 'dockerfile',
  containerfile: 'dockerfile',
  '.babelrc': 'json',
  '.eslintrc': 'json',
  '.prettierrc': 'json',
  '.swcrc': 'json',
  '.npmrc': 'ini',
  '.editorconfig': 'ini',
  '.gitconfig': 'ini',
  '.bashrc': 'shell',
  '.zshrc': 'shell',
  '.profile': 'shell',
}

const BY_EXTENSION: Record<string, string> = {
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  json: 'json',
  jsonc: 'json',
  webmanifest: 'json',
  css: 'css',
  scss: 'scss',
  sass: 'scss',
  less: 'less',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  vue: 'html',
  svelte: 'html',
  astro: 'html',
  md: 'markdown',
  markdown: 'markdown',
  mdx: 'mdx',
  yaml: 'yaml',
  yml: 'yaml',
  toml: 'ini',
  ini: 'ini',
  cfg: 'ini',
  conf: 'ini',
  properties: 'ini',
  sh: 'shell',
  bash: 'shell',
  zsh: 'shell',
  py: 'python',
  pyi: 'python',
  rb: 'ruby',
  go: 'go',
  rs: 'rust',
  java: 'java',
  kt: 'kotlin',
  kts: 'kotlin',
  swift: 'swift',
  c: 'c',
  h: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  cxx: 'cpp',
  hpp: 'cpp',
  cs: 'csharp',
  fs: 'fsharp',
  php: 'php',
  sql: 'sql',
  xml: 'xml',
  svg: 'xml',
  xsl: 'xml',
  plist: 'xml',
  graphql: 'graphql',
  gql: 'graphql',
  lua: 'lua',
  r: 'r',
  pl: 'perl',
  pm: 'perl',
  ps1: 'powershell',
  bat: 'bat',
  cmd: 'bat',
  dart: 'dart',
  ex: 'elixir',
  exs: 'elixir',
  scala: 'scala',
  clj: 'clojure',
  hbs: 'handlebars',
  handlebars: 'handlebars',
  pug: 'pug',
  proto: 'proto',
  sol: 'sol',
  wgsl: 'wgsl',
  hcl: 'hcl',
  tf: 'hcl',
  txt: 'plaintext',
  log: 'plaintext',
}

/// Every language id languageForPath can answer, sorted. monacoLanguages.ts registers exactly these.
export function languageIds(): string[] {
  return [...new Set([...Object.values(BY_NAME), ...Object.values(BY_EXTENSION), 'dockerfile', 'plaintext'])].sort()
}

/// The file's extension, lower case, without the dot ('' when it has none; `.gitignore` has none).
export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1)
  const dot = name.lastIndexOf('.')
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase()
}

/// The Monaco language id for `path`; `plaintext` when nothing matches.
export function languageForPath(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase()
  const byName = BY_NAME[name]
  if (byName) return byName
  if (name.startsWith('dockerfile.') || name.endsWith('.dockerfile')) return 'dockerfile'
  return BY_EXTENSION[extensionOf(name)] ?? 'plaintext'
}

/// Files the TypeScript language service should know about (sources and declarations, TS and JS).
export function isScriptPath(path: string): boolean {
  return /\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs)$/i.test(path)
}

/// Languages Monaco can format (Format Document) with the language services this app bundles.
export function canFormat(language: string): boolean {
  return ['typescript', 'javascript', 'json', 'css', 'scss', 'less', 'html'].includes(language)
}
