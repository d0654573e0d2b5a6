import type { ITheme } from '@xterm/xterm'

export type TerminalScheme = 'light' | 'dark'

// VS Code's integrated-terminal ANSI palettes (terminalColorRegistry.ts), so program output looks as it does there.
const ANSI: Record<TerminalScheme, Required<Pick<ITheme, AnsiName>>> = {
  dark: {
    black: '#000000',
    red: '#cd3131',
    green: '#0dbc79',
    yellow: '#e5e510',
    blue: '#2472c8',
    magenta: '#bc3fbc',
    cyan: '#11a8cd',
    white: '#e5e5e5',
    brightBlack: '#666666',
    brightRed: '#f14c4c',
    brightGreen: '#23d18b',
    brightYellow: '#f5f543',
    brightBlue: '#3b8eea',
    brightMagenta: '#d670d6',
    brightCyan: '#29b8db',
    brightWhite: '#e5e5e5',
  },
  light: {
    black: '#000000',
    red: '#cd3131',
    green: '#107c10',
    yellow: '#949800',
    blue: '#0451a5',
    magenta: '#bc05bc',
    cyan: '#0598bc',
    white: '#555555',
    brightBlack: '#666666',
    brightRed: '#cd3131',
    brightGreen: '#14ce14',
    brightYellow: '#b5ba00',
    brightBlue: '#0451a5',
    brightMagenta: '#bc05bc',
    brightCyan: '#0598bc',
    brightWhite: '#a5a5a5',
  },
}
type AnsiName =
  | 'black'
  | 'red'
  | 'green'
  | 'yellow'
  | 'blue'
  | 'magenta'
  | 'cyan'
  | 'white'
  | 'brightBlack'
  | 'brightRed'
  | 'brightGreen'
  | 'brightYellow'
  | 'brightBlue'
  | 'brightMagenta'
  | 'brightCyan'
  | 'brightWhite'

const FALLBACK: Record<TerminalScheme, { background: string; foreground: string; cursor: string; selection: string }> = {
  light: { background: '#fffffe', foreground: '#3b3b3b', cursor: '#1f1f1f', selection: '#add6ff' },
  dark: { background: '#1e1e1e', foreground: '#cccccc', cursor: '#e7e7e7', selection: '#264f78' },
}

/// The fallback monospace stack when `--font-mono` is not set.
export const MONO_FALLBACK = "ui-monospace, SFMono-Regular, 'SF Mono', Menlo, Consolas, 'Liberation Mono', monospace"

/// xterm's colours for a scheme, taking the surface colours from the app's CSS variables (`--bg-editor`, `--text`,
/// `--text-strong`) so the terminal sits flush with the editor. `cssVar` reads one variable ('' when unset).
export function terminalTheme(scheme: TerminalScheme, cssVar: (name: string) => string): ITheme {
  const fb = FALLBACK[scheme]
  const read = (name: string, fallback: string) => cssVar(name).trim() || fallback
  const background = read('--bg-editor', fb.background)
  return {
    ...ANSI[scheme],
    background,
    foreground: read('--text', fb.foreground),
    cursor: read('--text-strong', fb.cursor),
    cursorAccent: background,
    selectionBackground: fb.selection,
    selectionInactiveBackground: scheme === 'dark' ? '#3a3d41' : '#e5ebf1',
    scrollbarSliderBackground: scheme === 'dark' ? 'rgba(121, 121, 121, 0.4)' : 'rgba(100, 100, 100, 0.4)',
    scrollbarSliderHoverBackground: scheme === 'dark' ? 'rgba(100, 100, 100, 0.7)' : 'rgba(100, 100, 100, 0.7)',
    scrollbarSliderActiveBackground: scheme === 'dark' ? 'rgba(191, 191, 191, 0.4)' : 'rgba(0, 0, 0, 0.6)',
  }
}

/// The terminal's font stack: the app's `--font-mono`.
export function terminalFont(cssVar: (name: string) => string): string {
  return cssVar('--font-mono').trim() || MONO_FALLBACK
}
