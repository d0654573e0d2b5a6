// Monaco chunk only. A two-way binding between a Monaco text model and a Y.Text (our own instead of y-monaco:
// y-monaco imports the full `monaco-editor` entry, which would pull every language service into the bundle).
import * as Y from 'yjs'
import { AI_ORIGIN } from '../../core/ai/origins.ts'
import { REPLACE_ORIGIN } from '../../core/search/replace.ts'
import { monaco } from './monaco.ts'
import { deltaToEdits, type DeltaOp } from './textEdits.ts'

/// Keeps `model` and `ytext` equal in both directions.
/// - Typing in Monaco becomes Y.Text edits in one transaction whose origin is this binding.
/// - Y.Text changes from anywhere else (sync from another device, a program writing the file through the runtime
///   bridge, undo) are applied to the model in one atomic edit; the editor's selections are kept where they were in
///   the text (as Yjs relative positions), so a remote insert never drags or grows the local cursor.
/// - Undo/redo is a Y.UndoManager that only tracks this binding's edits: undoing never reverts someone else's
///   change, and Monaco's own undo stack (which remote edits would corrupt) is not used. Replace in files
///   (`REPLACE_ORIGIN`) and the assistant's accepted edits (`AI_ORIGIN`) are tracked too, each a step of its own:
///   Ctrl+Z in an open editor undoes a replace or an accepted edit there.
export class YTextBinding {
  readonly undoManager: Y.UndoManager
  private applyingRemote = false
  private savedSelections: Array<{ anchor: Y.RelativePosition; head: Y.RelativePosition }> | undefined
  private readonly disposers: Array<() => void> = []

  constructor(
    readonly ytext: Y.Text,
    readonly model: monaco.editor.ITextModel,
    /// The editor currently showing `model`, if any (one editor is shared by all tabs).
    private readonly editorOf: () => monaco.editor.ICodeEditor | undefined,
  ) {
    const doc = ytext.doc
    if (!doc) throw new RangeError('YTextBinding needs a Y.Text that is part of a Y.Doc')
    this.undoManager = new Y.UndoManager(ytext, { trackedOrigins: new Set([this, REPLACE_ORIGIN, AI_ORIGIN]), captureTimeout: 500 })
    // A replace or an accepted AI edit is never merged with typing just before or after it.
    const ownStep = (tr: Y.Transaction) => {
      if (tr.origin === REPLACE_ORIGIN || tr.origin === AI_ORIGIN) this.undoManager.stopCapturing()
    }
    doc.on('beforeTransaction', ownStep)
    this.disposers.push(() => doc.off('beforeTransaction', ownStep))
    const afterReplace = (e: { origin: unknown }) => {
      if (e.origin === REPLACE_ORIGIN || e.origin === AI_ORIGIN) this.undoManager.stopCapturing()
    }
    this.undoManager.on('stack-item-added', afterReplace)

    // Monaco normalises mixed line endings when it loads a text; write the normalised text back, or every offset
    // after the first odd line ending would be off.
    if (model.getValue() !== ytext.toString()) {
      doc.transact(() => {
        ytext.delete(0, ytext.length)
        ytext.insert(0, model.getValue())
      }, this)
      this.undoManager.clear()
    }

    const beforeTransaction = () => {
      const editor = this.editorOf()
      if (!editor || editor.getModel() !== model) {
        this.savedSelections = undefined
        return
      }
      this.savedSelections = (editor.getSelections() ?? []).map((s) => ({
        anchor: Y.createRelativePositionFromTypeIndex(ytext, model.getOffsetAt(s.getSelectionStart())),
        head: Y.createRelativePositionFromTypeIndex(ytext, model.getOffsetAt(s.getPosition())),
      }))
    }
    doc.on('beforeAllTransactions', beforeTransaction)
    this.disposers.push(() => doc.off('beforeAllTransactions', beforeTransaction))

    const onYChange = (event: Y.YTextEvent, tr: Y.Transaction) => {
      if (tr.origin === this) return
      this.applyRemote(event.delta as DeltaOp[], tr.origin === this.undoManager)
    }
    ytext.observe(onYChange)
    this.disposers.push(() => ytext.unobserve(onYChange))

    const sub = model.onDidChangeContent((e) => {
      if (this.applyingRemote) return
      // Offsets in `changes` refer to the text before the change; apply from the end so none shifts another.
      const changes = [...e.changes].sort((a, b) => b.rangeOffset - a.rangeOffset)
      // A replace (find/replace, paste over a selection, formatting) keeps what it did not change: only the
      // differing middle is deleted and inserted, so two devices editing the same line merge instead of each
      // replacing the whole span.
      const before = changes.some((c) => c.rangeLength && c.text) ? ytext.toString() : ''
      doc.transact(() => {
        for (const c of changes) {
          let [at, length, text] = [c.rangeOffset, c.rangeLength, c.text]
          if (length && text) {
            const old = before.slice(at, at + length)
            let head = 0
            while (head < length && head < text.length && old[head] === text[head]) head++
            let tail = 0
            while (tail < length - head && tail < text.length - head && old[length - 1 - tail] === text[text.length - 1 - tail]) tail++
            // Never split a surrogate pair.
            if (head > 0 && isHighSurrogate(old.charCodeAt(head - 1))) head--
            if (tail > 0 && isLowSurrogate(old.charCodeAt(length - tail))) tail--
            at += head
            length -= head + tail
            text = text.slice(head, text.length - tail)
          }
          if (length) ytext.delete(at, length)
          if (text) ytext.insert(at, text)
        }
      }, this)
    })
    this.disposers.push(() => sub.dispose())
  }

  undo(): void {
    this.undoManager.undo()
  }

  redo(): void {
    this.undoManager.redo()
  }

  dispose(): void {
    if (!this.disposers.length) return
    for (const d of this.disposers.splice(0).reverse()) d()
    this.undoManager.destroy()
  }

  private applyRemote(delta: DeltaOp[], isUndo: boolean): void {
    const edits = deltaToEdits(delta)
    if (!edits.length) return
    const model = this.model
    const ops = edits.map((e) => ({
      range: monaco.Range.fromPositions(model.getPositionAt(e.from), model.getPositionAt(e.to)),
      text: e.text,
      forceMoveMarkers: true,
    }))
    this.applyingRemote = true
    try {
      model.applyEdits(ops)
    } finally {
      this.applyingRemote = false
    }
    const editor = this.editorOf()
    if (!editor || editor.getModel() !== model) return
    if (isUndo) {
      // Like VS Code: the cursor goes to what was undone.
      const pos = model.getPositionAt(edits[edits.length - 1]!.newEnd)
      editor.setPosition(pos)
      editor.revealPositionInCenterIfOutsideViewport(pos)
      return
    }
    const saved = this.savedSelections
    if (!saved) return
    const doc = this.ytext.doc!
    const abs = (rel: Y.RelativePosition) => {
      const p = Y.createAbsolutePositionFromRelativePosition(rel, doc)
      return model.getPositionAt(p ? p.index : 0)
    }
    const selections = saved.map(({ anchor, head }) => {
      const a = abs(anchor)
      const h = abs(head)
      return new monaco.Selection(a.lineNumber, a.column, h.lineNumber, h.column)
    })
    if (selections.length) editor.setSelections(selections, 'yjs')
  }
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff
