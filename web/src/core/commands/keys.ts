/// Keybindings in VS Code's notation: modifiers and one key joined by `+`, the two strokes of a chord separated by a
/// space: `ctrl+shift+p`, `ctrl+k ctrl+s`, `alt+1`, `f5`, ``ctrl+` ``. Modifiers: `ctrl`, `shift`, `alt`, `cmd`
/// (`meta` and `win` are the same key). Key names are VS Code's: letters, digits, `f1`…`f19`, `up` `down` `left`
/// `right`, `pageup` `pagedown` `home` `end` `insert` `delete` `backspace` `tab` `enter` `escape` `space`,
/// `numpad0`…`numpad9`, and the US-layout punctuation `` ` - = [ ] \ ; ' , . / ``.
///
/// Pure: events come in as plain `{ key, code, ctrlKey, … }` objects, so this runs anywhere.

export type Platform = 'mac' | 'other'

export interface KeyStroke {
  readonly ctrl: boolean
  readonly shift: boolean
  readonly alt: boolean
  /// ⌘ on macOS, the Windows key elsewhere.
  readonly meta: boolean
  /// The key's VS Code name, lower case: `p`, `1`, `f5`, `pagedown`, `` ` ``.
  readonly key: string
}

/// One stroke, or two for a chord (Ctrl+K Ctrl+S).
export type Chord = readonly KeyStroke[]

/// The parts of a `KeyboardEvent` a stroke is read from.
export interface KeyEventLike {
  readonly key: string
  readonly code: string
  readonly ctrlKey: boolean
  readonly shiftKey: boolean
  readonly altKey: boolean
  readonly metaKey: boolean
}

const PUNCTUATION: Record<string, string> = {
  Backquote: '`',
  Minus: '-',
  Equal: '=',
  BracketLeft: '[',
  BracketRight: ']',
  Backslash: '\\',
  Semicolon: ';',
  Quote: "'",
  Comma: ',',
  Period: '.',
  Slash: '/',
}

const NAMED_EVENT_KEYS: Record<string, string> = {
  ArrowUp: 'up',
  ArrowDown: 'down',
  ArrowLeft: 'left',
  ArrowRight: 'right',
  PageUp: 'pageup',
  PageDown: 'pagedown',
  Home: 'home',
  End: 'end',
  Insert: 'insert',
  Delete: 'delete',
  Backspace: 'backspace',
  Tab: 'tab',
  Enter: 'enter',
  Escape: 'escape',
  ' ': 'space',
}

const NUMPAD: Record<string, string> = {
  NumpadMultiply: 'numpad_multiply',
  NumpadAdd: 'numpad_add',
  NumpadSubtract: 'numpad_subtract',
  NumpadDecimal: 'numpad_decimal',
  NumpadDivide: 'numpad_divide',
  NumpadEnter: 'enter',
}

const MODIFIERS = new Set(['ctrl', 'shift', 'alt', 'cmd', 'meta', 'win'])

const KEY_NAMES = new Set<string>([
  ...'abcdefghijklmnopqrstuvwxyz0123456789',
  ...Object.values(PUNCTUATION),
  ...Object.values(NAMED_EVENT_KEYS),
  ...Object.values(NUMPAD),
  ...Array.from({ length: 19 }, (_, i) => `f${i + 1}`),
  ...Array.from({ length: 10 }, (_, i) => `numpad${i}`),
])

/// Parses a keybinding. On macOS (`platform: 'mac'`) `ctrl` is read as ⌘ unless `macCtrl` says the binding means the
/// real Control key there: VS Code's CtrlCmd, which its default keybindings use. Throws a RangeError naming the
/// binding for anything else than one or two strokes of known modifiers and exactly one known key.
export function parseKeybinding(text: string, platform: Platform = 'other', { macCtrl = false }: { macCtrl?: boolean } = {}): Chord {
  const parts = text.trim().toLowerCase().split(/\s+/)
  if (!parts[0] || parts.length > 2) throw new RangeError(`Invalid keybinding "${text}": expected one key or a chord of two`)
  return parts.map((part) => {
    // `ctrl++` would be ambiguous; VS Code writes the plus key as `=` (US layout) too.
    const tokens = part.split('+')
    let ctrl = false
    let shift = false
    let alt = false
    let meta = false
    let key: string | undefined
    for (const token of tokens) {
      if (MODIFIERS.has(token)) {
        const seen = token === 'ctrl' ? ctrl : token === 'shift' ? shift : token === 'alt' ? alt : meta
        if (seen) throw new RangeError(`Invalid keybinding "${text}": "${token}" twice`)
        if (token === 'ctrl') ctrl = true
        else if (token === 'shift') shift = true
        else if (token === 'alt') alt = true
        else meta = true
      } else if (KEY_NAMES.has(token)) {
        if (key) throw new RangeError(`Invalid keybinding "${text}": two keys ("${key}" and "${token}") in one stroke`)
        key = token
      } else {
        throw new RangeError(`Invalid keybinding "${text}": unknown key "${token}"`)
      }
    }
    if (!key) throw new RangeError(`Invalid keybinding "${text}": "${part}" has no key, only modifiers`)
    if (platform === 'mac' && ctrl && !meta && !macCtrl) return { ctrl: false, shift, alt, meta: true, key }
    return { ctrl, shift, alt, meta, key }
  })
}

/// The stroke a keydown event stands for, or undefined for a lone modifier, an IME composition key, or a character
/// that AltGr types.
///
/// Letters are the layout's letter when it types a Latin one (Ctrl+B is the key labelled B on AZERTY and Dvorak too),
/// and the key's position otherwise: Cyrillic layouts, and macOS's Option, which turns Alt+W into "∑". Off macOS,
/// Ctrl+Alt is AltGr on Windows keyboards: a key that then types a character (AltGr+S is "ś" on a Polish layout) is
/// typing, not a shortcut. Digits and punctuation are positions, so Shift does not change them (Ctrl+Shift+` is
/// still "`", not "~").
export function keyStrokeFromEvent(e: KeyEventLike, platform: Platform = 'other'): KeyStroke | undefined {
  const key = eventKeyName(e, platform)
  if (!key) return undefined
  return { ctrl: e.ctrlKey, shift: e.shiftKey, alt: e.altKey, meta: e.metaKey, key }
}

function eventKeyName(e: KeyEventLike, platform: Platform): string | undefined {
  if (/^F\d{1,2}$/.test(e.key)) return e.key.toLowerCase()
  const numpad = /^Numpad(\d)$/.exec(e.code)
  if (numpad) return `numpad${numpad[1]}`
  if (NUMPAD[e.code]) return NUMPAD[e.code]
  const named = NAMED_EVENT_KEYS[e.key]
  if (named) return named
  const letter = /^Key([A-Z])$/.exec(e.code)
  if (letter) {
    if (/^[a-z]$/i.test(e.key)) return e.key.toLowerCase()
    if (platform !== 'mac' && e.ctrlKey && e.altKey && e.key.length === 1) return undefined
    return letter[1]!.toLowerCase()
  }
  const digit = /^Digit(\d)$/.exec(e.code)
  if (digit) return digit[1]
  if (PUNCTUATION[e.code]) return PUNCTUATION[e.code]
  // A key with no code we know (a virtual keyboard, a synthetic event): its character, if it names a key.
  const lower = e.key.toLowerCase()
  return e.key.length === 1 && KEY_NAMES.has(lower) ? lower : undefined
}

export function sameStroke(a: KeyStroke, b: KeyStroke): boolean {
  return a.key === b.key && a.ctrl === b.ctrl && a.shift === b.shift && a.alt === b.alt && a.meta === b.meta
}

/// Whether `prefix` is the start of `chord` (or all of it).
export function chordStartsWith(chord: Chord, prefix: Chord): boolean {
  return prefix.length <= chord.length && prefix.every((s, i) => sameStroke(s, chord[i]!))
}

const KEY_LABELS: Record<string, string> = {
  up: 'UpArrow',
  down: 'DownArrow',
  left: 'LeftArrow',
  right: 'RightArrow',
  pageup: 'PageUp',
  pagedown: 'PageDown',
  home: 'Home',
  end: 'End',
  insert: 'Insert',
  delete: 'Delete',
  backspace: 'Backspace',
  tab: 'Tab',
  enter: 'Enter',
  escape: 'Escape',
  space: 'Space',
  numpad_multiply: 'NumPad*',
  numpad_add: 'NumPad+',
  numpad_subtract: 'NumPad-',
  numpad_decimal: 'NumPad.',
  numpad_divide: 'NumPad/',
}

function keyLabel(key: string): string {
  if (KEY_LABELS[key]) return KEY_LABELS[key]
  if (key.startsWith('numpad')) return `NumPad${key.slice(6)}`
  return key.toUpperCase()
}

/// The keys of each stroke as a person reads them, one array per stroke: `[['Ctrl', 'Shift', 'P']]`, or on macOS
/// `[['⇧', '⌘', 'P']]` (VS Code's order: ⌃⌥⇧⌘ there, Ctrl+Shift+Alt+Meta elsewhere).
export function chordKeys(chord: Chord, platform: Platform): string[][] {
  return chord.map((s) => {
    const mods =
      platform === 'mac'
        ? [s.ctrl && '⌃', s.alt && '⌥', s.shift && '⇧', s.meta && '⌘']
        : [s.ctrl && 'Ctrl', s.shift && 'Shift', s.alt && 'Alt', s.meta && 'Meta']
    return [...mods.filter((m): m is string => !!m), keyLabel(s.key)]
  })
}

/// `Ctrl+Shift+P`, `Ctrl+K Ctrl+S`; on macOS `⇧⌘P`, `⌘K ⌘S`.
export function formatChord(chord: Chord, platform: Platform): string {
  return chordKeys(chord, platform)
    .map((keys) => keys.join(platform === 'mac' ? '' : '+'))
    .join(' ')
}
