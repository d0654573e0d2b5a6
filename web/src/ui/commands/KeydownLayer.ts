import { keyStrokeFromEvent, type CommandRegistry, type Context, type KeyStroke } from '../../core/commands/index.ts'
import { formatChord } from '../../core/commands/index.ts'
import { Store } from '../../core/store.ts'

/// What the layer tells the person between the strokes of a chord, and after one that means nothing.
export type ChordStatus = { readonly kind: 'waiting'; readonly first: string } | { readonly kind: 'unbound'; readonly keys: string } | undefined

/// The page's one keydown listener: every workbench shortcut goes through here, resolved by the command registry
/// against the live context keys. It listens on the window in the capture phase, so it sees a key before Monaco or
/// xterm does, and takes only keys that are bound where they are pressed (the `when` clauses decide, e.g. the code
/// editor keeps Ctrl+F and its Ctrl+K chords, a terminal keeps Ctrl+C). A key it takes goes no further.
export class KeydownLayer {
  /// The chord in progress ("Ctrl+K was pressed"), or the one that turned out to be no command.
  readonly status = new Store<ChordStatus>(undefined)
  private chord: KeyStroke[] = []
  private clearStatus: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly target: Window,
    private readonly registry: CommandRegistry,
    private readonly context: Context,
  ) {
    target.addEventListener('keydown', this.onKeyDown, { capture: true })
  }

  dispose(): void {
    this.target.removeEventListener('keydown', this.onKeyDown, { capture: true })
    clearTimeout(this.clearStatus)
  }

  private readonly onKeyDown = (e: KeyboardEvent): void => {
    // An input method is composing: the keys are its own.
    if (e.isComposing || e.keyCode === 229) return
    const stroke = keyStrokeFromEvent(e, this.registry.platform)
    // A lone modifier (the Ctrl of Ctrl+K's second stroke) neither completes nor cancels a chord.
    if (!stroke) return
    const strokes = [...this.chord, stroke]
    const resolution = this.registry.resolve(strokes, this.context)
    const inChord = this.chord.length > 0
    if (resolution.kind === 'prefix') {
      e.preventDefault()
      e.stopPropagation()
      this.chord = strokes
      this.setStatus({ kind: 'waiting', first: formatChord(strokes, this.registry.platform) })
      return
    }
    this.chord = []
    if (resolution.kind === 'none') {
      // The second stroke of a chord is the chord's, bound or not (VS Code: "not a command").
      if (inChord) {
        e.preventDefault()
        e.stopPropagation()
        this.setStatus({ kind: 'unbound', keys: formatChord(strokes, this.registry.platform) }, 3000)
      }
      return
    }
    e.preventDefault()
    e.stopPropagation()
    if (inChord) this.setStatus(undefined)
    const { rule } = resolution.binding
    if (e.repeat && rule.repeat === false) return
    try {
      const result = this.registry.execute(rule.command, rule.args)
      if (result instanceof Promise) result.catch((err: unknown) => console.error(`command ${rule.command} failed`, err))
    } catch (err) {
      console.error(`command ${rule.command} failed`, err)
    }
  }

  private setStatus(status: ChordStatus, clearAfterMs?: number): void {
    clearTimeout(this.clearStatus)
    this.status.update(() => status)
    if (clearAfterMs) this.clearStatus = setTimeout(() => this.status.update(() => undefined), clearAfterMs)
  }
}
