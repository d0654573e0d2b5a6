/// The review of the assistant's edits and the undo of its turns: the staged overlay (accept, reject), and the
/// checkpoints each applied change is recorded in — kept with the conversation the change came from.
import type * as Y from 'yjs'
import { CheckpointWriter, undoRecords } from './checkpoints.ts'
import type { UndoReport } from './checkpoints.ts'
import type { Checkpoint, Conversation } from './conversation.ts'
import { StagedEdits } from './staging.ts'
import type { AcceptReport, OpOrigin } from './staging.ts'
import type { FileChange } from './tools.ts'

export interface EditReviewDeps {
  files: Y.Map<Y.Text | Uint8Array>
  /// The open conversation, and a way to change it.
  current(): Conversation | undefined
  updateCurrent(fn: (c: Conversation) => Conversation): void
  /// Another conversation of the project, read from storage; and storing it back.
  load(id: string): Promise<Conversation | undefined>
  store(conversation: Conversation): void
  now(): string
}

export class EditReview {
  readonly staging: StagedEdits

  constructor(private readonly deps: EditReviewDeps) {
    this.staging = new StagedEdits(deps.files)
  }

  /// Stages a change of a turn of the open conversation; with `applyAtOnce`, applies it right away (when every change
  /// staged on that file is the open conversation's, whose checkpoints are at hand). Answers whether it was applied.
  change(origin: OpOrigin, path: string, change: FileChange, applyAtOnce: boolean): boolean {
    this.staging.stage(path, { ...change, ...origin })
    if (!applyAtOnce) return false
    if (!this.staging.get(path)!.changes.every((c) => c.conversationId === origin.conversationId)) return false
    return this.apply([path], new Map()).applied.includes(path)
  }

  /// Applies the staged changes of `paths` (see `StagedEdits.accept`).
  async accept(paths: readonly string[]): Promise<AcceptReport> {
    // Checkpoints of other conversations than the open one are read first, so the writes happen in one go.
    const others = new Map<string, Conversation>()
    for (const path of paths) {
      for (const c of this.staging.get(path)?.changes ?? []) {
        if (c.conversationId === this.deps.current()?.id || others.has(c.conversationId)) continue
        const conversation = await this.deps.load(c.conversationId)
        if (conversation) others.set(c.conversationId, conversation)
      }
    }
    const report = this.apply(paths, others)
    for (const conversation of others.values()) this.deps.store(conversation)
    return report
  }

  /// Applies staged changes, each recorded in its turn's checkpoint: the open conversation's, or one in `others`
  /// (updated in place). A change from a conversation no longer kept is applied without a checkpoint.
  private apply(paths: readonly string[], others: Map<string, Conversation>): AcceptReport {
    const writers = new Map<string, { origin: OpOrigin; writer: CheckpointWriter }>()
    const conversationOf = (id: string) => (this.deps.current()?.id === id ? this.deps.current() : others.get(id))
    const report = this.staging.accept(paths, (origin) => {
      const key = `${origin.conversationId}\n${origin.turnId}`
      let entry = writers.get(key)
      if (!entry) {
        const records = conversationOf(origin.conversationId)?.checkpoints.find((cp) => cp.turnId === origin.turnId)?.files ?? []
        writers.set(key, (entry = { origin, writer: new CheckpointWriter(this.deps.files, records) }))
      }
      return entry.writer
    })
    for (const { origin, writer } of writers.values()) {
      const record = (c: Conversation) => withCheckpoint(c, origin.turnId, (cp) => ({ ...cp, files: writer.result() }))
      if (this.deps.current()?.id === origin.conversationId) this.deps.updateCurrent(record)
      else {
        const other = others.get(origin.conversationId)
        if (other) others.set(origin.conversationId, record(other))
      }
    }
    return report
  }

  /// Undoes a turn of the open conversation (see `AiSession.undoTurn`).
  undo(turnId: string): ({ ok: true } & UndoReport) | { ok: false; message: string } {
    const checkpoint = this.deps.current()?.checkpoints.find((cp) => cp.turnId === turnId)
    if (checkpoint?.undone) return { ok: false, message: 'That turn was undone already.' }
    this.staging.rejectTurn(turnId)
    const report = undoRecords(this.deps.files, checkpoint?.files ?? [])
    const undone = { at: this.deps.now(), differs: report.differs }
    this.deps.updateCurrent((c) => withCheckpoint(c, turnId, (cp) => ({ ...cp, undone })))
    return { ok: true, ...report }
  }
}

/// `c` with the checkpoint of `turnId` (a new, empty one if it had none) changed by `fn`.
function withCheckpoint(c: Conversation, turnId: string, fn: (cp: Checkpoint) => Checkpoint): Conversation {
  const has = c.checkpoints.some((cp) => cp.turnId === turnId)
  return { ...c, checkpoints: has ? c.checkpoints.map((cp) => (cp.turnId === turnId ? fn(cp) : cp)) : [...c.checkpoints, fn({ turnId, files: [] })] }
}
