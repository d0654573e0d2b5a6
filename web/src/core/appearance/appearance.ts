import { z } from 'zod'

/// How the app looks on this device: the colour theme (following the system by default) and the editor's and the
/// terminal's font sizes. Stored per browser under the `appearance` setting and read back with `parseAppearance`.

export const THEME_CHOICES = ['system', 'light', 'dark'] as const
export type ThemeChoice = (typeof THEME_CHOICES)[number]

/// The scheme actually shown: a theme choice resolved against the system's preference.
export type ColorScheme = 'light' | 'dark'

/// Font sizes a person may pick, in CSS pixels (VS Code's editor zoom stops at about the same bounds).
export const MIN_FONT_SIZE = 10
export const MAX_FONT_SIZE = 24

const FontSizeSchema = z.number().int().min(MIN_FONT_SIZE).max(MAX_FONT_SIZE)

export const AppearanceSchema = z.object({
  theme: z.enum(THEME_CHOICES),
  editorFontSize: FontSizeSchema,
  terminalFontSize: FontSizeSchema,
})
export type Appearance = z.infer<typeof AppearanceSchema>

export const DEFAULT_APPEARANCE: Appearance = { theme: 'system', editorFontSize: 13, terminalFontSize: 13 }

/// The setting's key (`slipway:appearance` in localStorage). public/appearance.js reads the same key before the first
/// paint; appearance.test.ts keeps the two in step.
export const APPEARANCE_SETTING = 'appearance'

/// A stored value as the app uses it: each field that is missing or invalid (an older or hand-edited value, another
/// version's field) takes its default, so one bad field never resets the others. Unknown fields are dropped.
export function parseAppearance(stored: unknown): Appearance {
  const record = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {}
  const field = <K extends keyof Appearance>(key: K): Appearance[K] => {
    const parsed = AppearanceSchema.shape[key].safeParse(record[key])
    return parsed.success ? (parsed.data as Appearance[K]) : DEFAULT_APPEARANCE[key]
  }
  return { theme: field('theme'), editorFontSize: field('editorFontSize'), terminalFontSize: field('terminalFontSize') }
}

/// The scheme to show for a choice, given whether the system prefers dark.
export function resolveScheme(theme: ThemeChoice, systemPrefersDark: boolean): ColorScheme {
  return theme === 'system' ? (systemPrefersDark ? 'dark' : 'light') : theme
}

export type FontZoom = 'in' | 'out' | 'reset'

/// One step of editor zoom (Ctrl+= / Ctrl+- / Ctrl+0): a pixel at a time within the bounds; reset goes back to the
/// default size.
export function zoomFontSize(size: number, zoom: FontZoom, defaultSize: number = DEFAULT_APPEARANCE.editorFontSize): number {
  if (zoom === 'reset') return defaultSize
  return clampFontSize(size + (zoom === 'in' ? 1 : -1))
}

/// A size typed or pasted into a field: rounded and kept within the bounds; `undefined` when it is no number.
export function fontSizeFromInput(text: string): number | undefined {
  const n = Number(text.trim())
  if (text.trim() === '' || !Number.isFinite(n)) return undefined
  return clampFontSize(Math.round(n))
}

function clampFontSize(n: number): number {
  return Math.min(MAX_FONT_SIZE, Math.max(MIN_FONT_SIZE, n))
}

/// The editor's line height for a font size: VS Code's 1.5 ratio, rounded (13 px → 20 px, as before).
export function editorLineHeight(fontSize: number): number {
  return Math.round(fontSize * 1.5)
}
