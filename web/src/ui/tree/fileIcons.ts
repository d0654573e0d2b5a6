/// File-type icons for the tree and the editor tabs: a short badge (at most 3 characters) in a colour that reads on
/// both light and dark backgrounds, or a drawn glyph. Pure data, no React.

export type IconGlyph = 'file' | 'image' | 'lock' | 'folder' | 'folder-open'

export interface FileIcon {
  /// Badge text, or undefined to draw `glyph`.
  badge?: string
  glyph?: IconGlyph
  color: string
}

const TS = '#3178c6'
const JS = '#b8a11f'
const REACT = '#1f9dbf'

const BY_NAME: Record<string, FileIcon> = {
  'package.json': { badge: 'npm', color: '#cb3837' },
  'package-lock.json': { glyph: 'lock', color: '#8a8a8a' },
  'pnpm-lock.yaml': { glyph: 'lock', color: '#8a8a8a' },
  'yarn.lock': { glyph: 'lock', color: '#8a8a8a' },
  'bun.lockb': { glyph: 'lock', color: '#8a8a8a' },
  'tsconfig.json': { badge: 'TS', color: TS },
  'jsconfig.json': { badge: 'JS', color: JS },
  '.gitignore': { badge: 'git', color: '#e8572f' },
  '.gitattributes': { badge: 'git', color: '#e8572f' },
  dockerfile: { badge: 'DKR', color: '#2496ed' },
  license: { badge: '©', color: '#c79a1a' },
  'license.md': { badge: '©', color: '#c79a1a' },
  'license.txt': { badge: '©', color: '#c79a1a' },
}

const BY_EXTENSION: Record<string, FileIcon> = {
  ts: { badge: 'TS', color: TS },
  mts: { badge: 'TS', color: TS },
  cts: { badge: 'TS', color: TS },
  tsx: { badge: 'TSX', color: REACT },
  js: { badge: 'JS', color: JS },
  mjs: { badge: 'JS', color: JS },
  cjs: { badge: 'JS', color: JS },
  jsx: { badge: 'JSX', color: REACT },
  json: { badge: '{}', color: '#c29b10' },
  jsonc: { badge: '{}', color: '#c29b10' },
  css: { badge: '#', color: '#5b6fd8' },
  scss: { badge: '#', color: '#cd6799' },
  sass: { badge: '#', color: '#cd6799' },
  less: { badge: '#', color: '#4b7fbf' },
  html: { badge: '<>', color: '#e4572e' },
  htm: { badge: '<>', color: '#e4572e' },
  vue: { badge: 'V', color: '#3fb27f' },
  svelte: { badge: 'S', color: '#ff3e00' },
  md: { badge: 'M↓', color: '#4d8fbf' },
  mdx: { badge: 'MDX', color: '#e6a31a' },
  yaml: { badge: 'YML', color: '#c9473f' },
  yml: { badge: 'YML', color: '#c9473f' },
  toml: { badge: 'TML', color: '#9c4221' },
  sh: { badge: '$', color: '#4aa35a' },
  bash: { badge: '$', color: '#4aa35a' },
  zsh: { badge: '$', color: '#4aa35a' },
  py: { badge: 'PY', color: '#3f7cb8' },
  rb: { badge: 'RB', color: '#c0392b' },
  go: { badge: 'GO', color: '#00a7d0' },
  rs: { badge: 'RS', color: '#c46a2d' },
  java: { badge: 'J', color: '#d0731e' },
  c: { badge: 'C', color: '#5c8fd6' },
  h: { badge: 'H', color: '#8f6cd0' },
  cpp: { badge: 'C++', color: '#5c8fd6' },
  sql: { badge: 'SQL', color: '#d38b1f' },
  xml: { badge: '<>', color: '#e37933' },
  graphql: { badge: 'GQL', color: '#e10098' },
  txt: { badge: '≡', color: '#8a8a8a' },
  svg: { glyph: 'image', color: '#d39b1f' },
  png: { glyph: 'image', color: '#a46fc4' },
  jpg: { glyph: 'image', color: '#a46fc4' },
  jpeg: { glyph: 'image', color: '#a46fc4' },
  gif: { glyph: 'image', color: '#a46fc4' },
  webp: { glyph: 'image', color: '#a46fc4' },
  avif: { glyph: 'image', color: '#a46fc4' },
  ico: { glyph: 'image', color: '#a46fc4' },
  lock: { glyph: 'lock', color: '#8a8a8a' },
  wasm: { badge: 'WA', color: '#654ff0' },
}

const GENERIC: FileIcon = { glyph: 'file', color: 'currentColor' }
const FOLDER: FileIcon = { glyph: 'folder', color: '#c09553' }
const FOLDER_OPEN: FileIcon = { glyph: 'folder-open', color: '#c09553' }

export function fileIconFor(path: string): FileIcon {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase()
  const byName = BY_NAME[name]
  if (byName) return byName
  if (/\.d\.[cm]?ts$/.test(name)) return { badge: 'TS', color: '#4b8bbe' }
  if (/\.(?:test|spec)\.[cm]?[jt]sx?$/.test(name)) return { badge: 'T', color: '#2aa876' }
  const dot = name.lastIndexOf('.')
  return (dot > 0 && BY_EXTENSION[name.slice(dot + 1)]) || GENERIC
}

export function folderIcon(open: boolean): FileIcon {
  return open ? FOLDER_OPEN : FOLDER
}
