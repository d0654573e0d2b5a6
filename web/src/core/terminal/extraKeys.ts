/// The extra-keys row of a phone's terminal (Termux-style): keys an on-screen keyboard lacks, and what each sends to
/// the process. Pure: the view draws the row and writes the bytes.

export type ExtraKey = 'esc' | 'tab' | 'ctrl' | 'up' | 'down' | 'left' | 'right' | 'pipe' | 'tilde' | 'slash' | 'dash'

/// The row, left to right, with what a screen reader announces (a word key is named by its word).
export const EXTRA_KEYS: ReadonlyArray<{ key: ExtraKey; label: string; name: string }> = [
  { key: 'esc', label: 'Esc', name: 'Esc (Escape)' },
  { key: 'tab', label: 'Tab', name: 'Tab' },
  { key: 'ctrl', label: 'Ctrl', name: 'Ctrl (Control, applies to the next key)' },
  { key: 'left', label: '←', name: 'Left arrow' },
  { key: 'up', label: '↑', name: 'Up arrow' },
  { key: 'down', label: '↓', name: 'Down arrow' },
  { key: 'right', label: '→', name: 'Right arrow' },
  { key: 'pipe', label: '|', name: 'Vertical bar' },
  { key: 'tilde', label: '~', name: 'Tilde' },
  { key: 'slash', label: '/', name: 'Slash' },
  { key: 'dash', label: '-', name: 'Dash' },
]

export interface ExtraKeyContext {
  /// Ctrl was tapped before this key.
  readonly ctrl: boolean
  /// The program switched the cursor keys to application mode (DECCKM, e.g. vim, less): arrows send `ESC O x`.
  readonly applicationCursor: boolean
}

const ARROWS: Record<'up' | 'down' | 'right' | 'left', string> = { up: 'A', down: 'B', right: 'C', left: 'D' }
const CHARS: Record<'pipe' | 'tilde' | 'slash' | 'dash', string> = { pipe: '|', tilde: '~', slash: '/', dash: '-' }

/// The bytes `key` sends, as xterm would send the real key. `ctrl` is a modifier, not a key: it sends nothing.
export function extraKeyBytes(key: ExtraKey, ctx: ExtraKeyContext): string {
  switch (key) {
    case 'ctrl':
      return ''
    case 'esc':
      return '\x1b'
    case 'tab':
      return '\t'
    case 'up':
    case 'down':
    case 'right':
    case 'left':
      // Ctrl+arrow moves by word in readline: CSI 1;5 x whatever the cursor mode.
      if (ctx.ctrl) return `\x1b[1;5${ARROWS[key]}`
      return (ctx.applicationCursor ? '\x1bO' : '\x1b[') + ARROWS[key]
    case 'pipe':
    case 'tilde':
    case 'slash':
    case 'dash':
      return ctx.ctrl ? withCtrl(CHARS[key]) : CHARS[key]
  }
}

/// What typing `data` sends with Ctrl held: a letter or one of `@[\]^_` becomes its control character (c → ETX,
/// the interrupt), space and `2` become NUL, `/` becomes US (as xterm sends Ctrl+/), `?` DEL. Anything else (a
/// pasted string, several characters, a key with no control form) is sent unchanged.
export function withCtrl(data: string): string {
  if (data.length !== 1) return data
  const c = data
  if (/^[a-z]$/i.test(c)) return String.fromCharCode(c.toUpperCase().charCodeAt(0) - 64)
  if (c === ' ' || c === '@' || c === '2') return '\x00'
  if (c === '[' || c === '3') return '\x1b'
  if (c === '\\' || c === '4') return '\x1c'
  if (c === ']' || c === '5') return '\x1d'
  if (c === '^' || c === '6') return '\x1e'
  if (c === '_' || c === '-' || c === '/' || c === '7') return '\x1f'
  if (c === '?' || c === '8') return '\x7f'
  return data
}
