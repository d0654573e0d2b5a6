/// Commands and keybindings: the registry, `when` clauses and the context they read, key parsing, the palette's
/// ranking. No DOM, React or Monaco here; ui/commands installs the keydown layer and renders the palette.
export { CommandRegistry } from './CommandRegistry.ts'
export type { Command, CommandHandler, CommandInfo, Keybinding, KeybindingRule, ProvidedCommand, Resolution } from './CommandRegistry.ts'
export { ContextKeys } from './ContextKeys.ts'
export { chordKeys, formatChord, keyStrokeFromEvent, parseKeybinding, sameStroke } from './keys.ts'
export type { Chord, KeyEventLike, KeyStroke, Platform } from './keys.ts'
export { rankPalette } from './palette.ts'
export type { PaletteEntry, RankedEntry } from './palette.ts'
export { parseRecent, rememberRecent, RECENT_LIMIT } from './recent.ts'
export { evaluateWhen, formatWhen, parseWhen } from './when.ts'
export type { Context, ContextValue, WhenExpr } from './when.ts'
