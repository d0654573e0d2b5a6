/// File-type icons for the tree and the editor tabs: a short badge (at most 3 characters) in the file type's colour,
/// shaded per colour scheme so it reads at 4.5:1 wherever it sits (`badgeColors`), or a drawn glyph. Pure, no React.
import { mix, parseHex, readableShade, toHex } from './contrast.ts'

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

/// The app.css colours an icon sits on and among, per scheme.
const SCHEMES = {
  light: { surface: '#f3f3f3', chrome: '#f8f8f8', editor: '#fffffe', muted: '#6e6e6e', accent: '#2563eb' },
  dark: { surface: '#1f1f1f', chrome: '#181818', editor: '#1e1e1e', muted: '#9d9d9d', accent: '#5b9bf8' },
} as const

/// Every background a badge is drawn on in a scheme: the sidebar, tab bar and editor, and the rows of the tree,
/// search and quick open when hovered (`--text-muted` at up to 16 %) or selected (`--accent` at up to 22 %).
export function iconBackgrounds(scheme: 'light' | 'dark'): string[] {
  const c = SCHEMES[scheme]
  const over = (color: string, t: number) => toHex(mix(parseHex(c.surface), parseHex(color), t))
  return [c.surface, c.chrome, c.editor, over(c.muted, 0.16), over(c.accent, 0.16), over(c.accent, 0.22)]
}

/// WCAG AA for normal text: badges are 8–9 px.
export const BADGE_CONTRAST = 4.5

const shades = new Map<string, { light: string; dark: string }>()

/// A badge's text colour in each scheme: its file type's colour, darkened (light scheme) or lightened (dark) just
/// enough to reach `BADGE_CONTRAST` on every background of `iconBackgrounds`.
export function badgeColors(icon: FileIcon): { light: string; dark: string } {
  let c = shades.get(icon.color)
  if (!c) {
    c = {
      light: readableShade(icon.color, iconBackgrounds('light'), BADGE_CONTRAST, 'darker'),
      dark: readableShade(icon.color, iconBackgrounds('dark'), BADGE_CONTRAST, 'lighter'),
    }
    shades.set(icon.color, c)
  }
  return c
}

/// Every icon of the tables, for tests.
export function allFileIcons(): FileIcon[] {
  return [...Object.values(BY_NAME), ...Object.values(BY_EXTENSION), fileIconFor('a.d.ts'), fileIconFor('a.test.ts'), GENERIC, FOLDER, FOLDER_OPEN]
}
