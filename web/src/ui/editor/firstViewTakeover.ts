// Monaco chunk only. The editor's part of the first view (issue 20): it reports what it shows to the capture, restores
// the stored view state when it first mounts, and takes over from the light view with the keys typed into it.
import type { QueuedInput } from '../../core/firstView/firstView.ts'
import type { EditorProbeSlot } from '../firstView/editorProbe.ts'
import { firstViewPending, loadedFirstView, removeFirstView, showUnappliedInput, takeFirstViewInput } from '../firstView/handoff.ts'
import { queuedText, restorableViewState, viewStateFirstLine } from '../../core/firstView/firstView.ts'
import type { EditorSession } from './editorSession.ts'
import { monaco } from './monaco.ts'

/// The stored view state (cursor, scroll) of the file the page last showed, for the editor's first mount: only from a
/// record whose drawn lines match it (core/firstView restorableViewState).
export function initialViewState(): { path: string; state: monaco.editor.ICodeEditorViewState } | undefined {
  const restorable = restorableViewState(loadedFirstView())
  // Monaco's own shape, checked only as far as restoreViewState reads it.
  return restorable && { path: restorable.path, state: restorable.state as monaco.editor.ICodeEditorViewState }
}

/// Called right after the editor restored `state` (initialViewState's) on its first mount: when Monaco is not scrolled
/// to the line the stored view was (the file changed since, say), the stored scroll is dropped for Monaco's own
/// default, the top of the file with the cursor revealed; the light view's first line and Monaco's are then never
/// two different places presented as one. Answers whether the stored view was kept.
export function checkRestoredView(editor: monaco.editor.ICodeEditor, state: monaco.editor.ICodeEditorViewState): boolean {
  const wanted = viewStateFirstLine(state)
  if (wanted !== undefined && viewStateFirstLine(editor.saveViewState()) === wanted) return true
  editor.setScrollPosition({ scrollTop: 0, scrollLeft: 0 }, monaco.editor.ScrollType.Immediate)
  const position = editor.getPosition()
  if (position) editor.revealPositionInCenterIfOutsideViewport(position, monaco.editor.ScrollType.Immediate)
  return false
}

/// Hooks the session to the first view; answers its disposer.
export function attachFirstView(session: EditorSession, slot: EditorProbeSlot): () => void {
  const editor = session.editor
  const shownPath = () => {
    const uri = editor.getModel()?.uri
    return uri?.scheme === 'file' ? uri.path.replace(/^\//, '') : undefined
  }
  slot.read = () => {
    const model = editor.getModel()
    const position = editor.getPosition()
    const visible = position ? editor.getScrolledVisiblePosition(position) : null
    const box = editor.getDomNode()?.getBoundingClientRect()
    return {
      path: shownPath(),
      dom: editor.getDomNode() ?? editor.getContainerDomNode(),
      // As data (VS Code keeps view states as JSON too): Monaco's object may hold what IndexedDB cannot clone.
      viewState: JSON.parse(JSON.stringify(editor.saveViewState() ?? null)) as unknown,
      lineAt: (x, y) => editor.getTargetAtClientPoint(x, y)?.position?.lineNumber,
      caret: position && visible && box ? { line: position.lineNumber, column: position.column, x: box.left + visible.left, y: box.top + visible.top, h: visible.height } : undefined,
      tabSize: model?.getOptions().tabSize ?? 2,
      fontSize: editor.getOption(monaco.editor.EditorOption.fontInfo).fontSize,
    }
  }
  const changed = () => slot.changed()
  const subscriptions = [
    editor.onDidScrollChange(changed),
    editor.onDidChangeModelContent(changed),
    editor.onDidChangeCursorPosition(changed),
    editor.onDidChangeModel(changed),
    editor.onDidLayoutChange(changed),
  ]
  if (firstViewPending()) takeOver(session)
  return () => {
    subscriptions.forEach((s) => s.dispose())
    if (slot.read) slot.read = undefined
  }
}

/// Replays what was typed into the light view through Monaco's own commands, then removes the light view in the
/// frame Monaco paints. With no file shown, the typed text goes to a notice instead.
function takeOver(session: EditorSession): void {
  const editor = session.editor
  const queue = takeFirstViewInput()
  if (!editor.getModel()) {
    removeFirstView()
    if (queue.length > 0) showUnappliedInput(queuedText(queue))
    return
  }
  editor.focus()
  for (const input of queue) replay(session, input)
  // Paint now, then remove the light view in the same task: the next frame shows Monaco where the light view was.
  editor.render(true)
  removeFirstView()
}

const KEY_COMMANDS = {
  Backspace: 'deleteLeft',
  Delete: 'deleteRight',
  Tab: 'tab',
  ArrowLeft: 'cursorLeft',
  ArrowRight: 'cursorRight',
  ArrowUp: 'cursorUp',
  ArrowDown: 'cursorDown',
  Home: 'cursorHome',
  End: 'cursorEnd',
} as const

function replay(session: EditorSession, input: QueuedInput): void {
  const editor = session.editor
  if (input.k === 'text') editor.trigger('keyboard', 'type', { text: input.t })
  else if (input.k === 'paste') editor.trigger('keyboard', 'paste', { text: input.t, pasteOnNewLine: false, multicursorText: null, mode: null })
  else if (input.key === 'Enter') editor.trigger('keyboard', 'type', { text: '\n' })
  else editor.trigger('keyboard', KEY_COMMANDS[input.key], null)
}
