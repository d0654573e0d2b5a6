// Only imported by lazily loaded modules (MonacoPane.tsx): everything here lands in the Monaco chunks.
//
// Not `monaco-editor` (editor.main) and not `features/register.all`: the bare editor API plus the contributions a
// VS Code user reaches for, one import each, so the Monaco chunks stay within bench/bundle.mjs's budget. Left out on
// purpose: inline completions (ghost text; nothing here provides any), sticky scroll, color picker, code lens, inlay
// hints, GPU rendering, drop/paste-as, unicode highlighting, section headers, font zoom, high-contrast toggle, token
// inspector, and every diff-editor extra.
//
// Syntax: only the languages languages.ts maps files to (each tokenizer is its own lazy chunk). Language services:
// TypeScript/JavaScript, JSON, CSS/SCSS/Less and HTML; their modes load when a file of that language opens, and their
// workers with them.
import * as monaco from 'monaco-editor/editor'
import './monacoContributions.ts'
import './monacoLanguages.ts'
import 'monaco-editor/languages/features/typescript/register'
import { jsonDefaults } from 'monaco-editor/languages/features/json/register'
import 'monaco-editor/languages/features/css/register'
import 'monaco-editor/languages/features/html/register'
import MonacoWorker from './monaco.worker.ts?worker'
import type { ColorScheme } from '../../core/appearance/appearance.ts'

export { monaco }

/// Tells Monaco how to start its workers. Without it Monaco builds blob workers from URLs that Vite does not
/// bundle. Idempotent.
export function installMonacoEnvironment(): void {
  if (globalThis.MonacoEnvironment?.getWorker) return
  globalThis.MonacoEnvironment = {
    getWorker(_moduleId: string, label: string) {
      // One worker entry for every label; the worker loads the language service its name asks for.
      return new MonacoWorker({ name: label })
    },
  }
  // tsconfig.json and friends have comments; no schema downloads (the CSP allows none anyway).
  jsonDefaults.setDiagnosticsOptions({ validate: true, allowComments: true, trailingCommas: 'ignore', enableSchemaRequest: false, schemas: [] })
}

/// The URI of a project file's model: file:///<path>, so the TypeScript service resolves relative imports.
export function projectUri(path: string): monaco.Uri {
  return monaco.Uri.file('/' + path)
}

const DIFF_COLORS: Record<ColorScheme, Record<string, string>> = {
  light: {
    'diffEditor.insertedTextBackground': '#2ea04326',
    'diffEditor.removedTextBackground': '#f8514926',
    'diffEditor.insertedLineBackground': '#2ea04314',
    'diffEditor.removedLineBackground': '#f8514914',
  },
  dark: {
    'diffEditor.insertedTextBackground': '#2ea0432e',
    'diffEditor.removedTextBackground': '#f851492e',
    'diffEditor.insertedLineBackground': '#2ea04317',
    'diffEditor.removedLineBackground': '#f8514917',
  },
}

/// Monaco's `vs` / `vs-dark` with a scrollbar slider as quiet as VS Code's: translucent until hovered or dragged.
/// (Monaco's default, #64646466 on a 14 px track, reads as a grey slab over a short file.)
const THEMES: Record<ColorScheme, { name: string; data: monaco.editor.IStandaloneThemeData }> = {
  light: {
    name: 'slipway-light',
    data: {
      base: 'vs',
      inherit: true,
      rules: [],
      colors: {
        'scrollbarSlider.background': '#64646433',
        'scrollbarSlider.hoverBackground': '#64646459',
        'scrollbarSlider.activeBackground': '#64646480',
        'scrollbar.shadow': '#00000000',
        // The review's diff: tinted lines and words light enough that every token colour keeps 4.5:1 over them.
        ...DIFF_COLORS.light,
      },
    },
  },
  dark: {
    name: 'slipway-dark',
    data: {
      base: 'vs-dark',
      inherit: true,
      rules: [],
      colors: {
        'scrollbarSlider.background': '#79797933',
        'scrollbarSlider.hoverBackground': '#79797959',
        'scrollbarSlider.activeBackground': '#bfbfbf59',
        'scrollbar.shadow': '#00000000',
        ...DIFF_COLORS.dark,
      },
    },
  },
}
let themesDefined = false

/// The editor theme for the app's colour scheme (defined with Monaco on first use).
export function themeFor(scheme: ColorScheme): string {
  if (!themesDefined) {
    for (const t of Object.values(THEMES)) monaco.editor.defineTheme(t.name, t.data)
    themesDefined = true
  }
  return THEMES[scheme].name
}

/// Options shared by every editor in the app.
export const EDITOR_OPTIONS: monaco.editor.IStandaloneEditorConstructionOptions = {
  automaticLayout: true,
  minimap: { enabled: false },
  fontFamily: 'ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace',
  fontSize: 13,
  lineHeight: 20,
  tabSize: 2,
  padding: { top: 8, bottom: 8 },
  renderLineHighlight: 'line',
  // Monaco's default is 'dimmed' on Linux only: the trailing newline's line number at 40 % opacity, under the 4.5:1
  // contrast axe-core asks of text (the share viewer's code view, the workbench). 'on' is what VS Code and Monaco
  // elsewhere draw.
  renderFinalNewline: 'on',
  renderLineHighlightOnlyWhenFocus: true,
  overviewRulerBorder: false,
  hideCursorInOverviewRuler: true,
  fixedOverflowWidgets: true,
  // A slim slider centred in a narrow track, no shadow under the top edge when scrolled.
  scrollbar: { verticalScrollbarSize: 10, horizontalScrollbarSize: 10, verticalSliderSize: 6, horizontalSliderSize: 6, useShadows: false },
}

