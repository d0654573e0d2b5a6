// Monaco chunk only. One Monaco editor for a workspace: a model per open text tab (bound to its Y.Text), the view
// state (cursor, scroll, folding) remembered per file, the TypeScript project, and the EditorController target.
import type { ProvidedCommand } from '../../core/commands/index.ts'
import type { Runtime } from '../../core/runtime/index.ts'
import { DisposableStore } from '../../core/store.ts'
import type { Workspace } from '../../core/workspace/Workspace.ts'
import { editorLineHeight } from '../../core/appearance/appearance.ts'
import type { ColorScheme, FontZoom } from '../../core/appearance/appearance.ts'
import { documentSymbols } from './documentSymbols.ts'
import type { DocumentSymbolItem, EditorController, EditorTarget, RevealRequest } from '../../core/editor/EditorController.ts'
import { languageForPath } from './languages.ts'
import { EDITOR_OPTIONS, installMonacoEnvironment, monaco, projectUri, themeFor } from './monaco.ts'
import { ProjectDiagnostics } from './projectDiagnostics.ts'
import { TypeScriptProject } from './typescriptProject.ts'
import { YTextBinding } from './yTextBinding.ts'
import { checkRestoredView } from './firstViewTakeover.ts'
import { StandaloneServices } from 'monaco-editor/editor/standalone/browser/standaloneServices'
import { IKeybindingService } from 'monaco-editor/platform/keybinding/common/keybinding'

export interface EditorSessionOptions {
  workspace: Workspace
  controller: EditorController
  runtime?: (() => Runtime | undefined) | undefined
  theme: ColorScheme
  fontSize: number
  /// Ctrl+= / Ctrl+- / Ctrl+0 in the editor: the host changes the font size setting (and calls `setFontSize`).
  onZoom?: (zoom: FontZoom) => void
  /// Called when the file shown changes (undefined: none), so the host can reflect it.
  onShow?: (path: string | undefined) => void
  /// Browse only (a shared version): typing is impossible, and trying says how to edit.
  readOnly?: boolean
  /// A file's view state (cursor, scroll) from the last visit, restored when the file first shows.
  initialViewState?: { path: string; state: monaco.editor.ICodeEditorViewState } | undefined
}

interface OpenModel {
  model: monaco.editor.ITextModel
  binding: YTextBinding
}

const MAX_VIEW_STATES = 200

export class EditorSession implements EditorTarget {
  readonly editor: monaco.editor.IStandaloneCodeEditor
  private readonly models = new Map<string, OpenModel>()
  private readonly viewStates = new Map<string, monaco.editor.ICodeEditorViewState>()
  private readonly disposables = new DisposableStore()
  private readonly typescript: TypeScriptProject
  private readonly diagnostics: ProjectDiagnostics
  private shown: string | undefined
  private pendingReveal: RevealRequest | undefined
  private lastTabs: readonly string[] = []
  private lastTabsChecked: readonly string[] = []
  private readonly highlight: monaco.editor.IEditorDecorationsCollection
  /// The stored view state of the last visit (firstViewTakeover), until it is first restored.
  private initialViewState: monaco.editor.ICodeEditorViewState | undefined

  constructor(
    host: HTMLElement,
    private readonly options: EditorSessionOptions,
  ) {
    installMonacoEnvironment()
    const { workspace } = options
    this.editor = monaco.editor.create(host, {
      ...EDITOR_OPTIONS,
      model: null,
      theme: themeFor(options.theme),
      fontSize: options.fontSize,
      lineHeight: editorLineHeight(options.fontSize),
      scrollBeyondLastLine: true,
      lineNumbersMinChars: 3,
      ariaLabel: options.readOnly ? 'Code editor, read-only' : 'Code editor',
      ...(options.readOnly ? { readOnly: true, readOnlyMessage: { value: 'Read-only: Fork to edit' } } : {}),
    })
    this.highlight = this.editor.createDecorationsCollection()
    this.disposables.add(() => this.editor.dispose())

    // Undo and redo go through the binding's Y.UndoManager (see YTextBinding).
    const undo = () => this.models.get(this.shown ?? '')?.binding.undo()
    const redo = () => this.models.get(this.shown ?? '')?.binding.redo()
    this.editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyZ, undo)
    this.editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyMod.Shift | monaco.KeyCode.KeyZ, redo)
    this.editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyY, redo)
    // Monaco binds Format Document to Ctrl+Shift+I on Linux (which Chrome keeps for DevTools); Shift+Alt+F everywhere.
    this.editor.addCommand(monaco.KeyMod.Shift | monaco.KeyMod.Alt | monaco.KeyCode.KeyF, () => {
      void this.editor.getAction('editor.action.formatDocument')?.run()
    })

    // Editor zoom, as VS Code's editor.action.fontZoomIn/Out/Reset, bound to the keys its window zoom uses. Only while
    // the editor has focus: everywhere else Ctrl+= / Ctrl+- / Ctrl+0 stay the browser's page zoom.
    const zoom = (id: string, label: string, how: FontZoom, keys: number[]) =>
      this.disposables.add(
        this.editor.addAction({ id, label, keybindings: keys, run: () => options.onZoom?.(how) }),
      )
    const { CtrlCmd } = monaco.KeyMod
    const { Equal, Minus, Digit0, NumpadAdd, NumpadSubtract, Numpad0 } = monaco.KeyCode
    zoom('slipway.editor.fontZoomIn', 'Editor Font Size: Larger', 'in', [CtrlCmd | Equal, CtrlCmd | NumpadAdd])
    zoom('slipway.editor.fontZoomOut', 'Editor Font Size: Smaller', 'out', [CtrlCmd | Minus, CtrlCmd | NumpadSubtract])
    zoom('slipway.editor.fontZoomReset', 'Editor Font Size: Reset', 'reset', [CtrlCmd | Digit0, CtrlCmd | Numpad0])

    // Go to definition (F12, Ctrl+click) and "open" in peek views land in another file: open it as a tab and reveal
    // the place. Files outside the project (node_modules declarations, the lib files) stay in peek.
    this.disposables.add(
      monaco.editor.registerEditorOpener({
        openCodeEditor: (source, resource, selectionOrPosition) => {
          if (source !== this.editor || resource.scheme !== 'file') return false
          const path = resource.path.replace(/^\//, '')
          if (!workspace.text(path)) return false
          const at = selectionOrPosition && 'startLineNumber' in selectionOrPosition
            ? { lineNumber: selectionOrPosition.startLineNumber, column: selectionOrPosition.startColumn }
            : selectionOrPosition
          workspace.dispatch({ type: 'open', path })
          options.controller.reveal(path, at?.lineNumber ?? 1, at?.column ?? 1)
          return true
        },
      }),
    )

    const isOpen = (path: string) => this.models.has(path)
    this.diagnostics = new ProjectDiagnostics(workspace, options.controller, isOpen)
    this.disposables.add(this.diagnostics)
    this.typescript = new TypeScriptProject(workspace, options.runtime, isOpen, () => this.diagnostics.programChanged())
    this.disposables.add(this.typescript)

    // The status bar's cursor position, language, indentation and line endings.
    const cursor = () => this.publishCursor()
    this.disposables.add(this.editor.onDidChangeCursorSelection(cursor))
    this.disposables.add(this.editor.onDidChangeModel(cursor))
    this.disposables.add(this.editor.onDidChangeModelOptions(cursor))
    this.disposables.add(this.editor.onDidChangeModelLanguage(cursor))
    this.disposables.add(() => options.controller.cursor.update(() => undefined))
    this.disposables.add(() => options.controller.selection.update(() => undefined))

    this.disposables.add(workspace.store.subscribe(() => this.sync()))
    const onFiles = (event: { keysChanged: Set<string> }) => {
      for (const key of event.keysChanged) if (this.models.has(key)) this.rebind(key)
    }
    workspace.files.observe(onFiles)
    this.disposables.add(() => workspace.files.unobserve(onFiles))
    this.disposables.add(() => {
      for (const path of [...this.models.keys()]) this.closeModel(path)
    })
    if (options.initialViewState) {
      this.viewStates.set(options.initialViewState.path, options.initialViewState.state)
      this.initialViewState = options.initialViewState.state
    }
    this.sync()
    this.disposables.add(options.controller.attach(this))
  }

  setTheme(theme: ColorScheme): void {
    monaco.editor.setTheme(themeFor(theme))
  }

  setFontSize(fontSize: number): void {
    this.editor.updateOptions({ fontSize, lineHeight: editorLineHeight(fontSize) })
  }

  // --- EditorTarget

  reveal(request: RevealRequest): void {
    if (this.shown === request.path) this.applyReveal(request)
    else this.pendingReveal = request
    // The workspace may already have switched tabs (dispatch is synchronous); catch up now.
    this.sync()
  }

  focus(): void {
    if (this.shown) this.editor.focus()
  }

  refreshTypes(): Promise<void> {
    return this.typescript.refreshTypes()
  }

  selectionText(): string | undefined {
    const model = this.editor.getModel()
    const sel = this.editor.getSelection()
    if (!model || !sel || sel.isEmpty() || sel.startLineNumber !== sel.endLineNumber) return undefined
    return model.getValueInRange(sel)
  }

  symbols(path: string): Promise<DocumentSymbolItem[]> {
    const open = this.models.get(path)
    return open ? documentSymbols(open.model) : Promise.resolve([])
  }

  /// Whether the editor is laid out on screen (on a phone it is hidden while another pane shows). Monaco's quick
  /// inputs (go to line) throw "Quick input service needs a focused editor" when it cannot take focus.
  isShown(): boolean {
    return this.editor.getContainerDomNode().getClientRects().length > 0
  }

  goToLine(): boolean {
    if (!this.editor.getModel() || !this.isShown()) return false
    this.editor.focus()
    void this.editor.getAction('editor.action.gotoLine')?.run()
    return true
  }

  /// The editor's own actions for the workbench's command palette (Find, Format Document, Change All Occurrences…),
  /// with the keys Monaco binds them to. Running one focuses the editor first, as VS Code's palette does.
  paletteActions(leaveOut: ReadonlySet<string>): ProvidedCommand[] {
    if (!this.editor.getModel() || !this.isShown()) return []
    const keybindings = StandaloneServices.get(IKeybindingService)
    return this.editor
      .getSupportedActions()
      .filter((a) => !leaveOut.has(a.id) && a.label)
      .map((a) => {
        const keybinding = keybindings.lookupKeybinding(a.id)?.getLabel() ?? undefined
        return {
          id: a.id,
          title: a.label,
          ...(keybinding ? { keybinding } : {}),
          run: () => {
            this.editor.focus()
            return a.run()
          },
        }
      })
  }

  dispose(): void {
    this.disposables.dispose()
  }

  private publishCursor(): void {
    const model = this.editor.getModel()
    const selection = this.editor.getSelection()
    const path = this.shown
    if (!model || !selection || !path) {
      this.options.controller.cursor.update(() => undefined)
      this.options.controller.selection.update(() => undefined)
      return
    }
    const selected = selection.isEmpty() ? undefined : { path, text: model.getValueInRange(selection), startLine: selection.startLineNumber, endLine: selection.endLineNumber }
    this.options.controller.selection.update((s) =>
      s === selected || (s && selected && s.path === selected.path && s.startLine === selected.startLine && s.endLine === selected.endLine && s.text === selected.text) ? s : selected,
    )
    const { insertSpaces, tabSize } = model.getOptions()
    const next = {
      path,
      line: selection.positionLineNumber,
      column: selection.positionColumn,
      selected: model.getValueLengthInRange(selection),
      language: model.getLanguageId(),
      insertSpaces,
      tabSize,
      eol: model.getEOL() === '\r\n' ? ('CRLF' as const) : ('LF' as const),
    }
    this.options.controller.cursor.update((c) => (c && Object.keys(next).every((k) => c[k as keyof typeof c] === next[k as keyof typeof next]) ? c : next))
  }

  // --- models

  /// Makes the models match the open tabs and shows the active one.
  private sync(): void {
    const { openTabs, activeTab } = this.options.workspace.state
    if (openTabs !== this.lastTabs) this.carryViewStatesOverRenames(this.lastTabs, openTabs)
    this.lastTabs = openTabs
    const wanted = new Set(openTabs)
    for (const path of [...this.models.keys()]) if (!wanted.has(path)) this.closeModel(path)
    for (const path of openTabs) if (!this.models.has(path)) this.openModel(path)
    if (openTabs !== this.lastTabsChecked) {
      this.lastTabsChecked = openTabs
      this.diagnostics.tabsChanged()
    }
    this.show(activeTab && this.models.has(activeTab) ? activeTab : undefined)
  }

  private openModel(path: string): void {
    const ytext = this.options.workspace.text(path)
    if (!ytext) return
    const uri = projectUri(path)
    monaco.editor.getModel(uri)?.dispose()
    const model = monaco.editor.createModel(ytext.toString(), languageForPath(path), uri)
    const binding = new YTextBinding(ytext, model, () => this.editor)
    this.models.set(path, { model, binding })
  }

  private closeModel(path: string): void {
    const open = this.models.get(path)
    if (!open) return
    if (this.shown === path) {
      this.remember(path)
      this.editor.setModel(null)
      this.shown = undefined
    }
    open.binding.dispose()
    open.model.dispose()
    this.models.delete(path)
    this.typescript.noteClosed(path)
  }

  /// The Y.Text at an open path was replaced (or became binary, or went away): follow it without losing the cursor.
  private rebind(path: string): void {
    const open = this.models.get(path)
    const ytext = this.options.workspace.text(path)
    if (!open || open.binding.ytext === ytext) return
    open.binding.dispose()
    if (!ytext) {
      // Binary now, or deleted (the tab closes with the next store update).
      this.closeModel(path)
      this.sync()
      return
    }
    const next = ytext.toString()
    if (open.model.getValue() !== next) {
      open.model.pushEditOperations([], [{ range: open.model.getFullModelRange(), text: next }], () => null)
    }
    open.binding = new YTextBinding(ytext, open.model, () => this.editor)
  }

  private show(path: string | undefined): void {
    if (path === this.shown) {
      if (path && this.pendingReveal?.path === path) this.applyReveal(this.pendingReveal)
      return
    }
    if (this.shown) this.remember(this.shown)
    this.shown = path
    const open = path ? this.models.get(path) : undefined
    this.editor.setModel(open?.model ?? null)
    if (path && open) {
      const state = this.viewStates.get(path)
      if (state) this.editor.restoreViewState(state)
      if (state && state === this.initialViewState) {
        this.initialViewState = undefined
        checkRestoredView(this.editor, state)
      }
      if (this.pendingReveal?.path === path) this.applyReveal(this.pendingReveal)
    }
    this.options.onShow?.(path)
  }

  private applyReveal(r: RevealRequest): void {
    this.pendingReveal = undefined
    const model = this.editor.getModel()
    if (!model) return
    const line = Math.min(r.line, model.getLineCount())
    if (r.endLine !== undefined) {
      const last = Math.min(Math.max(r.endLine, line), model.getLineCount())
      const range = new monaco.Range(line, 1, last, model.getLineMaxColumn(last))
      this.highlight.set([{ range, options: { isWholeLine: true, className: 'editor-range-highlight', linesDecorationsClassName: 'editor-range-gutter' } }])
      this.editor.setSelection(new monaco.Selection(line, 1, line, 1))
      this.editor.revealLinesInCenter(line, last, monaco.editor.ScrollType.Immediate)
      return
    }
    const column = Math.min(r.column, model.getLineMaxColumn(line))
    const end = model.getPositionAt(model.getOffsetAt({ lineNumber: line, column }) + r.length)
    const selection = new monaco.Selection(line, column, end.lineNumber, end.column)
    this.editor.setSelection(selection)
    this.editor.revealRangeInCenterIfOutsideViewport(selection, monaco.editor.ScrollType.Smooth)
    this.editor.focus()
  }

  private remember(path: string): void {
    const state = this.editor.saveViewState()
    if (!state) return
    this.viewStates.delete(path)
    this.viewStates.set(path, state)
    if (this.viewStates.size > MAX_VIEW_STATES) this.viewStates.delete(this.viewStates.keys().next().value!)
  }

  /// A rename keeps the tab in place under a new path (Workspace `move`); keep its cursor and scroll too.
  private carryViewStatesOverRenames(before: readonly string[], after: readonly string[]): void {
    if (before.length !== after.length) return
    before.forEach((old, i) => {
      const now = after[i]!
      // Same length and the old path gone from the tabs: only `move` does that.
      if (now === old || after.includes(old)) return
      if (this.shown === old) this.remember(old)
      const state = this.viewStates.get(old)
      if (state) this.viewStates.set(now, state)
    })
  }
}
