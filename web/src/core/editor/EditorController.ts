/// The small facade other parts of the workbench use to drive the code editor without importing Monaco: reveal a
/// place in a file (search results, quick open `file:line`), focus the editor, reload the node_modules types.
/// One per open project, owned by its `ProjectSession` (`session.editor`) and disposed with it; the UI gets it from
/// `useEditorController()`. The editor attaches itself once its lazy chunk is loaded; until then requests wait, and
/// the last reveal/focus is applied when it attaches.
import type { EditorSelection } from '../ai/index.ts'
import type { Problem } from '../problems/problems.ts'
import { Store } from '../store.ts'

export interface RevealRequest {
  path: string
  /// 1-based, as Monaco and `searchText` count.
  line: number
  column: number
  /// Characters to select from `column`; 0 places the cursor.
  length: number
  /// With it, lines `line`…`endLine` are selected whole and stay highlighted (a link to a range of a file).
  endLine?: number
}

/// A symbol of a file (a function, class, method, property…), as the editor's outline lists it.
export interface DocumentSymbolItem {
  name: string
  /// SymbolKind's name in kebab case: "function", "class", "method", "enum-member"…
  kind: string
  /// The symbol it is declared in, if any.
  container?: string
  /// 1-based, where the name starts.
  line: number
  column: number
}

/// The project's problems as the editor knows them: `off` until the editor has loaded (it does the checking),
/// `checking` while the TypeScript program is being checked for the first time, then `ready`.
export interface ProblemsState {
  readonly status: 'off' | 'checking' | 'ready'
  readonly problems: readonly Problem[]
}

/// Where the cursor is in the file shown and how that file is written, for the status bar.
export interface CursorStatus {
  readonly path: string
  /// 1-based.
  readonly line: number
  readonly column: number
  /// Characters selected (0: none).
  readonly selected: number
  /// Monaco's language id, e.g. `typescript`.
  readonly language: string
  readonly insertSpaces: boolean
  readonly tabSize: number
  readonly eol: 'LF' | 'CRLF'
}

/// What the editor implements; @internal to ui/editor.
export interface EditorTarget {
  reveal(request: RevealRequest): void
  focus(): void
  refreshTypes(): Promise<void>
  /// The selected text when it is a non-empty single line (to prefill search).
  selectionText(): string | undefined
  /// The symbols of an open text file, in document order.
  symbols(path: string): Promise<DocumentSymbolItem[]>
  /// Opens the go-to-line input on the file shown; false when no file is shown.
  goToLine(): boolean
}

export class EditorController {
  private target: EditorTarget | undefined
  private pendingReveal: RevealRequest | undefined
  private pendingFocus: boolean | (() => boolean) = false
  private disposed = false
  /// Every diagnostic of the open files and of the project's TypeScript program; written by the editor.
  readonly problems = new Store<ProblemsState>({ status: 'off', problems: [] })
  /// The cursor of the file shown; undefined when none is shown. Written by the editor.
  readonly cursor = new Store<CursorStatus | undefined>(undefined)
  /// The selected text of the file shown, with its lines (1-based, inclusive); undefined when nothing is selected.
  /// Written by the editor (the assistant's "selection" context reads it).
  readonly selection = new Store<EditorSelection | undefined>(undefined)

  /// Opens nothing by itself: dispatch `open` first, then reveal. Selects `length` characters from line:column.
  reveal(path: string, line: number, column = 1, length = 0): void {
    if (this.disposed) return
    const request = { path, line: Math.max(1, line), column: Math.max(1, column), length: Math.max(0, length) }
    if (this.target) this.target.reveal(request)
    else this.pendingReveal = request
  }

  /// Selects and highlights lines `from`…`to` (1-based, inclusive) of `path`, revealed in the middle of the editor.
  revealLines(path: string, from: number, to: number): void {
    if (this.disposed) return
    const request = { path, line: Math.max(1, from), column: 1, length: 0, endLine: Math.max(1, from, to) }
    if (this.target) this.target.reveal(request)
    else this.pendingReveal = request
  }

  /// `when`: asked at the moment the focus would move (now, or when the editor attaches, which can be seconds later):
  /// false leaves the focus where it is then (the UI passes "nothing else has the focus" for the focus given on open).
  focus(when?: () => boolean): void {
    if (this.disposed) return
    if (this.target) {
      if (!when || when()) this.target.focus()
    } else this.pendingFocus = when ?? true
  }

  /// Re-reads declaration files from the runtime's node_modules (call after `npm install`). Resolves when the
  /// language service has them; a no-op until the editor has loaded (it reads them itself when it starts).
  refreshTypes(): Promise<void> {
    return this.target?.refreshTypes() ?? Promise.resolve()
  }

  selectionText(): string | undefined {
    return this.target?.selectionText()
  }

  /// The symbols of the open text file at `path` from its language service (empty until the editor has loaded, for
  /// a file that is not open, or a language without symbols). Rejects if the language service fails.
  symbols(path: string): Promise<DocumentSymbolItem[]> {
    return this.target?.symbols(path) ?? Promise.resolve([])
  }

  /// Focuses the editor and opens its go-to-line input (Ctrl+G); false when no text file is shown.
  goToLine(): boolean {
    return this.target?.goToLine() ?? false
  }

  /// @internal Called by the Monaco editor when it is ready; returns the detach function. Waiting requests are
  /// applied a microtask later, to the editor still attached then (React's StrictMode mounts, unmounts and mounts
  /// again in one go).
  attach(target: EditorTarget): () => void {
    // An editor still mounting while its project closes (closing is async) attaches to nothing.
    if (this.disposed) return () => {}
    this.target = target
    queueMicrotask(() => {
      if (this.target !== target) return
      const reveal = this.pendingReveal
      const focus = this.pendingFocus
      this.pendingReveal = undefined
      this.pendingFocus = false
      if (reveal) target.reveal(reveal)
      else if (focus === true || (focus && focus())) target.focus()
    })
    return () => {
      if (this.target === target) this.target = undefined
    }
  }

  /// Lets go of the editor and drops waiting requests; later requests do nothing (the project was closed).
  dispose(): void {
    this.disposed = true
    this.target = undefined
    this.pendingReveal = undefined
    this.pendingFocus = false
  }
}
