import { Store } from '../store.ts'
import { chordStartsWith, formatChord, parseKeybinding, type Chord, type KeyStroke, type Platform } from './keys.ts'
import { evaluateWhen, parseWhen, type Context, type WhenExpr } from './when.ts'

/// What a person sees of a command: the palette lists `category: title`, the shortcuts reference names it.
export interface CommandInfo {
  /// VS Code's id where VS Code has the command (`workbench.action.quickOpen`), `slipway.*` otherwise.
  readonly id: string
  readonly title: string
  readonly category?: string
  /// A when clause: the command runs (from a key or the palette) only where it holds.
  readonly enablement?: string
  /// Listed in the command palette; false for what only makes sense as a key (Escape closes a popover).
  readonly palette?: boolean
}

export type CommandHandler = (args?: unknown) => unknown

export interface Command extends CommandInfo {
  /// What it does. A command may be declared without one and get it from whoever owns the state it acts on
  /// (`registerHandler`), while that owner is there.
  readonly run?: CommandHandler
}

/// A command from a provider (the code editor's own actions): palette only, with its shortcut as a label.
export interface ProvidedCommand {
  readonly id: string
  readonly title: string
  readonly category?: string
  readonly keybinding?: string
  readonly run: () => unknown
}

export interface KeybindingRule {
  /// VS Code notation, see keys.ts. On macOS `ctrl` means ⌘ unless `mac` is given.
  readonly key: string
  /// The macOS form when it differs from `key` with ⌘ for Ctrl; there `ctrl` is the Control key.
  readonly mac?: string
  readonly command: string
  readonly when?: string
  readonly args?: unknown
  /// False: a held key (auto-repeat) runs the command once; its repeats are swallowed. Default true.
  readonly repeat?: boolean
}

export interface Keybinding {
  readonly rule: KeybindingRule
  readonly chord: Chord
  readonly when: WhenExpr | undefined
  /// `Ctrl+Shift+P`, `⇧⌘P`.
  readonly label: string
}

export type Resolution =
  | { readonly kind: 'none' }
  /// The strokes so far start a chord: wait for the next one.
  | { readonly kind: 'prefix' }
  | { readonly kind: 'command'; readonly binding: Keybinding }

interface Entry {
  readonly info: CommandInfo
  readonly enablement: WhenExpr | undefined
  /// Newest last: an owner that mounts over another (StrictMode, a second view) takes over and gives back.
  readonly handlers: Array<{ run: CommandHandler }>
}

/// Commands and their keybindings (VS Code's CommandsRegistry and KeybindingsRegistry in one): the keydown layer
/// resolves keys through it, the palette lists it, the shortcuts reference is generated from it.
export class CommandRegistry {
  private readonly entries = new Map<string, Entry>()
  private readonly bindings: Keybinding[] = []
  private readonly providers = new Set<() => readonly ProvidedCommand[]>()
  /// Bumped on every registration, so lists can re-read.
  readonly version = new Store(0)

  constructor(readonly platform: Platform) {}

  /// Declares a command (and its handler, if given). Throws a RangeError for an id already declared or an
  /// enablement that does not parse.
  registerCommand(command: Command): () => void {
    if (this.entries.has(command.id)) throw new RangeError(`Command "${command.id}" is already registered`)
    const { run, ...info } = command
    const entry: Entry = { info, enablement: info.enablement ? parseWhen(info.enablement) : undefined, handlers: [] }
    if (run) entry.handlers.push({ run })
    this.entries.set(command.id, entry)
    this.changed()
    return () => {
      if (this.entries.get(command.id) !== entry) return
      this.entries.delete(command.id)
      this.changed()
    }
  }

  /// Gives a declared command its behaviour until the returned function is called. Throws a RangeError for an
  /// unknown id (a typo would otherwise be a key that silently does nothing).
  registerHandler(id: string, run: CommandHandler): () => void {
    const entry = this.entries.get(id)
    if (!entry) throw new RangeError(`No command "${id}" to handle`)
    const handler = { run }
    entry.handlers.push(handler)
    this.changed()
    return () => {
      const i = entry.handlers.indexOf(handler)
      if (i < 0) return
      entry.handlers.splice(i, 1)
      this.changed()
    }
  }

  /// Binds a key to a command. Throws a RangeError for a key or when clause that does not parse, or an unknown
  /// command. A later binding of the same keys wins where both apply.
  registerKeybinding(rule: KeybindingRule): () => void {
    if (!this.entries.has(rule.command)) throw new RangeError(`Keybinding "${rule.key}" names no command: "${rule.command}"`)
    const chord =
      this.platform === 'mac' && rule.mac !== undefined ? parseKeybinding(rule.mac, 'mac', { macCtrl: true }) : parseKeybinding(rule.key, this.platform)
    const binding: Keybinding = { rule, chord, when: rule.when ? parseWhen(rule.when) : undefined, label: formatChord(chord, this.platform) }
    this.bindings.push(binding)
    this.changed()
    return () => {
      const i = this.bindings.indexOf(binding)
      if (i < 0) return
      this.bindings.splice(i, 1)
      this.changed()
    }
  }

  /// Commands computed when asked (the code editor's actions, which exist only while it does).
  registerProvider(provider: () => readonly ProvidedCommand[]): () => void {
    this.providers.add(provider)
    return () => void this.providers.delete(provider)
  }

  /// Every declared command, in declaration order, with or without a handler.
  commands(): CommandInfo[] {
    return [...this.entries.values()].map((e) => e.info)
  }

  provided(): ProvidedCommand[] {
    return [...this.providers].flatMap((p) => p())
  }

  /// Every keybinding, in registration order.
  keybindings(): readonly Keybinding[] {
    return this.bindings
  }

  keybindingsFor(id: string): Keybinding[] {
    return this.bindings.filter((b) => b.rule.command === id)
  }

  /// The command is there to run: it has a handler, and its enablement holds in `context`.
  isEnabled(id: string, context: Context): boolean {
    const entry = this.entries.get(id)
    if (!entry?.handlers.length) return false
    return !entry.enablement || evaluateWhen(entry.enablement, context)
  }

  /// Runs a command's handler. Throws a RangeError for an unknown command or one with no handler now; enablement
  /// is the caller's to check (the keydown layer and the palette do).
  execute(id: string, args?: unknown): unknown {
    const entry = this.entries.get(id)
    if (!entry) throw new RangeError(`No command "${id}"`)
    const handler = entry.handlers[entry.handlers.length - 1]
    if (!handler) throw new RangeError(`Command "${id}" has no handler now`)
    return handler.run(args)
  }

  /// Runs the command if it is enabled in `context`; says whether it ran.
  tryExecute(id: string, context: Context, args?: unknown): boolean {
    if (!this.isEnabled(id, context)) return false
    this.execute(id, args)
    return true
  }

  /// What `strokes` (one, or two for a chord) mean in `context`. Only bindings whose when clause holds and whose
  /// command is enabled count, so a key with nothing to do there reaches the focused element unchanged. An exact
  /// match wins over a chord that starts with the same stroke; among exact matches the latest binding wins.
  resolve(strokes: readonly KeyStroke[], context: Context): Resolution {
    let prefix = false
    for (let i = this.bindings.length - 1; i >= 0; i--) {
      const b = this.bindings[i]!
      if (!chordStartsWith(b.chord, strokes)) continue
      if (b.when && !evaluateWhen(b.when, context)) continue
      if (!this.isEnabled(b.rule.command, context)) continue
      if (b.chord.length === strokes.length) return { kind: 'command', binding: b }
      prefix = true
    }
    return prefix ? { kind: 'prefix' } : { kind: 'none' }
  }

  private changed(): void {
    this.version.update((v) => v + 1)
  }
}
