/// The assistant of one open project: its conversations, the turn running now, the staged edits under review and
/// the checkpoints that undo turns. Owned by the `ProjectSession` and disposed with it. The UI subscribes to `store`
/// and calls the methods; nothing here knows React.
export type { ActionResult, AiState, AiStatusView, StagedView, TurnState, UndoResult } from './aiState.ts'
import { AI_LIMITS } from '@slipway/shared'
import type { AiContextKind, AiMessagesRequest, AiModel } from '@slipway/shared'
import type { Workspace } from '../workspace/Workspace.ts'
import { DisposableStore, Store } from '../store.ts'
import type { AiPort } from './AiPort.ts'
import type { ActionResult, AiState, UndoResult } from './aiState.ts'
import type { CommandPort } from './commands.ts'
import { contextBlock, contextOptions } from './context.ts'
import type { ContextInputs, EditorSelection } from './context.ts'
import { answerIncomplete, buildRequest, compactConversation, jsonBytes, settleInterrupted, titleOf } from './conversation.ts'
import type { AiConversationStore, AiProjectState, AnswerMessage, ChatMessage, Conversation, TurnError } from './conversation.ts'
import { EditReview } from './EditReview.ts'
import { stagedKind } from './staging.ts'
import type { AcceptReport, OpOrigin, StagedDiff } from './staging.ts'
import type { ToolHost } from './tools.ts'
import { runTurn } from './turnLoop.ts'
import type { TurnOutcome } from './turnLoop.ts'

export interface AiSessionDeps {
  projectId: string
  workspace: Pick<Workspace, 'files'>
  port: AiPort
  store: AiConversationStore
  commands: CommandPort
  context: ContextInputs
  /// Where the editor's selection is kept for the `selection` chip (`setSelection` writes it).
  selection?: Store<EditorSelection | undefined>
  /// False when this page is certainly offline.
  online(): boolean
  /// Calls `listener` when the page is hidden or left (`visibilitychange` to hidden, `pagehide`); returns the
  /// unsubscribe. A streaming answer is stored at once then.
  onPageHidden?: (listener: () => void) => () => void
  newId?: () => string
  now?: () => Date
}

/// While an answer streams, the conversation is stored at most this often (ms)…
const SNAPSHOT_MS = 500
/// …and, for a large conversation (each store writes all of it), at most about this many bytes a second.
const SNAPSHOT_BYTES_PER_SECOND = 1024 * 1024

type Approval = { ok: true; always: boolean } | { ok: false; message: string }

export class AiSession {
  readonly store: Store<AiState>
  /// Resolves once the stored state is loaded (`state.loaded`).
  readonly ready: Promise<void>
  private readonly review: EditReview
  private readonly disposables = new DisposableStore()
  private active: { turnId: string; abort: AbortController; approval?: { toolUseId: string; decide(a: Approval): void } } | undefined
  private turnDone: Promise<unknown> = Promise.resolve()
  /// A question is being checked and stored; the turn starts next.
  private starting = false
  private writes: Promise<unknown> = Promise.resolve()
  private disposed = false
  /// Storing the streaming answer: the timer of the next store, whether one is being written, and when the next may
  /// start (`performance.now()` time).
  private snapshot: { timer: ReturnType<typeof setTimeout> | undefined; writing: boolean; notBefore: number } = { timer: undefined, writing: false, notBefore: 0 }

  constructor(private readonly deps: AiSessionDeps) {
    this.review = new EditReview({
      files: deps.workspace.files,
      current: () => this.state.conversation,
      updateCurrent: (fn) => this.setConversation(fn),
      load: (id) => this.deps.store.get(this.deps.projectId, id),
      store: (conversation) => void this.save(conversation),
      now: () => this.now(),
    })
    this.store = new Store<AiState>({
      loaded: false,
      status: { phase: 'loading' },
      budget: undefined,
      conversations: [],
      conversation: undefined,
      turn: { phase: 'idle' },
      model: undefined,
      applyAtOnce: false,
      allowedCommands: [],
      staged: [],
      draft: '',
      attached: ['file'],
      context: contextOptions(deps.context),
      notice: undefined,
    })
    this.disposables.add(deps.context.subscribe(() => this.set({ context: contextOptions(deps.context) })))
    this.disposables.add(
      this.review.staging.store.subscribe(() => {
        this.set({ staged: this.review.staging.store.get().map((f) => ({ path: f.path, kind: stagedKind(f), turnIds: [...new Set(f.changes.map((c) => c.turnId))] })) })
        this.saveProjectState()
      }),
    )
    if (deps.onPageHidden) this.disposables.add(deps.onPageHidden(() => void this.storeStreaming({ now: true })))
    this.disposables.add(() => clearTimeout(this.snapshot.timer))
    // No request before the panel asks (`refreshStatus`) or a question is sent: opening a project costs no round trip.
    this.ready = this.load()
  }

  get state(): AiState {
    return this.store.get()
  }

  private set(patch: Partial<AiState>): void {
    if (!this.disposed) this.store.update((s) => ({ ...s, ...patch }))
  }

  private newId(): string {
    return this.deps.newId?.() ?? crypto.randomUUID()
  }

  private now(): string {
    return (this.deps.now?.() ?? new Date()).toISOString()
  }

  /// Persistence runs one write at a time, in order; a failed write is reported, never thrown at the caller.
  private write<T>(fn: () => Promise<T>): Promise<T | undefined> {
    const next = this.writes.then(fn).catch((err: unknown) => {
      this.set({ notice: `Could not save the conversation on this device: ${err instanceof Error ? err.message : String(err)}` })
      return undefined
    })
    this.writes = next
    return next
  }

  private async load(): Promise<void> {
    try {
      const [project, conversations] = await Promise.all([this.deps.store.getProjectState(this.deps.projectId), this.deps.store.list(this.deps.projectId)])
      const stored = project.lastConversationId ? await this.deps.store.get(this.deps.projectId, project.lastConversationId) : undefined
      const last = stored && settleInterrupted(stored)
      this.review.staging.load(project.staged)
      this.set({ conversations, conversation: last, model: project.model, applyAtOnce: project.applyAtOnce, allowedCommands: project.allowedCommands })
    } catch (err) {
      this.set({ notice: `Could not read the saved conversations: ${err instanceof Error ? err.message : String(err)}` })
    }
    this.set({ loaded: true })
  }

  /// Asks the server whether the assistant is on, its models and today's budget. The panel calls it when it opens.
  async refreshStatus(): Promise<void> {
    const result = await this.deps.port.status()
    if (result.ok) {
      const { enabled, reason, models, budget } = result.status
      this.set({ status: { phase: 'ready', enabled, models, ...(reason ? { reason } : {}) }, ...(budget ? { budget } : {}) })
    } else this.set({ status: { phase: 'error', error: result.error } })
  }

  private saveProjectState(): void {
    const s = this.state
    if (!s.loaded) return
    const state: AiProjectState = {
      allowedCommands: [...s.allowedCommands],
      applyAtOnce: s.applyAtOnce,
      staged: [...this.review.staging.store.get()],
      ...(s.model ? { model: s.model } : {}),
      ...(s.conversation ? { lastConversationId: s.conversation.id } : {}),
    }
    void this.write(() => this.deps.store.putProjectState(this.deps.projectId, state))
  }

  // --- The composer: draft, context chips, model, settings.

  setDraft(text: string): void {
    this.set({ draft: text })
  }

  attach(kind: AiContextKind): void {
    if (!this.state.attached.includes(kind)) this.set({ attached: [...this.state.attached, kind] })
  }

  detach(kind: AiContextKind): void {
    this.set({ attached: this.state.attached.filter((k) => k !== kind) })
  }

  /// The editor reports its selection here (undefined or empty text: none).
  setSelection(selection: EditorSelection | undefined): void {
    this.deps.selection?.update(() => selection)
  }

  setModel(model: string | undefined): void {
    this.set({ model })
    this.saveProjectState()
  }

  /// Apply the assistant's edits as it makes them (each still undoable with its turn) instead of staging them.
  setApplyAtOnce(on: boolean): void {
    this.set({ applyAtOnce: on })
    this.saveProjectState()
  }

  /// Takes a command off the project's allowlist: it needs approval again.
  forgetCommand(command: string): void {
    this.set({ allowedCommands: this.state.allowedCommands.filter((c) => c !== command) })
    this.saveProjectState()
  }

  /// The person has read the notice.
  dismissNotice(): void {
    this.set({ notice: undefined })
  }

  // --- Conversations.

  /// Starts a new conversation (stored when its first question is sent).
  newConversation(): ActionResult {
    if (this.active) return busy
    this.set({ conversation: undefined, turn: { phase: 'idle' }, notice: undefined })
    this.saveProjectState()
    return { ok: true }
  }

  async select(id: string): Promise<ActionResult> {
    if (this.active) return busy
    const stored = await this.deps.store.get(this.deps.projectId, id)
    const conversation = stored && settleInterrupted(stored)
    if (!conversation) return { ok: false, message: 'That conversation is no longer kept on this device.' }
    this.set({ conversation, turn: { phase: 'idle' }, notice: undefined })
    this.saveProjectState()
    return { ok: true }
  }

  async deleteConversation(id: string): Promise<ActionResult> {
    if (this.active && this.state.conversation?.id === id) return busy
    await this.write(() => this.deps.store.delete(this.deps.projectId, id))
    this.set({
      conversations: this.state.conversations.filter((c) => c.id !== id),
      ...(this.state.conversation?.id === id ? { conversation: undefined, turn: { phase: 'idle' } as const } : {}),
    })
    this.saveProjectState()
    return { ok: true }
  }

  private setConversation(fn: (c: Conversation) => Conversation): void {
    const c = this.state.conversation
    if (c) this.set({ conversation: { ...fn(c), updatedAt: this.now() } })
  }

  private putMessage(message: ChatMessage): void {
    this.setConversation((c) => {
      const at = c.messages.findIndex((m) => m.id === message.id)
      return { ...c, messages: at < 0 ? [...c.messages, message] : c.messages.map((m, i) => (i === at ? message : m)) }
    })
    if (message.kind === 'answer' && message.streaming) {
      if (message.error?.code === 'network') this.storeBrokenOff(message)
      else this.storeStreaming()
    }
  }

  /// An answer the network broke off may be the page being left: a reload or a closed tab cuts the stream before
  /// `pagehide`, and such a page does not live to store the failed answer (its last stored piece trailed the screen
  /// by up to `SNAPSHOT_MS`). What streamed is stored at once, as still streaming, so a page that is gone keeps it and
  /// shows it interrupted; a page that lives on stores the failed answer over it right after.
  private storeBrokenOff(message: AnswerMessage): void {
    const conversation = this.state.conversation
    if (this.disposed || !conversation) return
    clearTimeout(this.snapshot.timer)
    this.snapshot.timer = undefined
    const { error: _, ...streaming } = message
    const snapshot = { ...conversation, messages: conversation.messages.map((m) => (m.id === message.id ? streaming : m)) }
    void this.deps.store.putNow(compactConversation(snapshot)).catch((err: unknown) => this.set({ notice: `Could not save the conversation on this device: ${err instanceof Error ? err.message : String(err)}` }))
  }

  /// Stores the conversation while an answer streams, so a reload or a closed tab keeps what has streamed (it comes
  /// back marked as interrupted). Throttled: the first piece is stored at once, then at most every `SNAPSHOT_MS`
  /// (longer for a large conversation), one write at a time; `now` (the page is being hidden or left) stores at once.
  private storeStreaming({ now = false } = {}): void {
    const snap = this.snapshot
    if (this.disposed || !this.streamingConversation()) return
    if (now) {
      clearTimeout(snap.timer)
      snap.timer = undefined
      this.writeStreaming({ now: true })
    } else if (snap.timer === undefined && !snap.writing) {
      snap.timer = setTimeout(() => {
        snap.timer = undefined
        this.writeStreaming()
      }, Math.max(0, snap.notBefore - performance.now()))
    }
  }

  /// `now`: the page may be gone before the writes queued ahead of this one are done, so this one starts in this
  /// task, ahead of them. A write queued earlier that lands later holds less of the same answer, and the next store
  /// (the next piece, or the answer's end, both queued after this one) replaces it.
  private writeStreaming({ now = false } = {}): void {
    const snap = this.snapshot
    const conversation = this.streamingConversation()
    if (!conversation) return
    const compact = compactConversation(conversation)
    const put = () => this.deps.store.put(compact)
    snap.writing = true
    void (now ? this.deps.store.putNow(compact).catch((err: unknown) => this.set({ notice: `Could not save the conversation on this device: ${err instanceof Error ? err.message : String(err)}` })) : this.write(put)).finally(() => {
      snap.writing = false
      snap.notBefore = performance.now() + Math.max(SNAPSHOT_MS, (jsonBytes(compact) / SNAPSHOT_BYTES_PER_SECOND) * 1000)
      // What streamed during the write is stored next.
      this.storeStreaming()
    })
  }

  /// The open conversation while one of its answers is streaming.
  private streamingConversation(): Conversation | undefined {
    const c = this.state.conversation
    return c?.messages.some((m) => m.kind === 'answer' && m.streaming) ? c : undefined
  }

  /// Stores a conversation (the open one by default), within the per-conversation bound, and follows the list.
  private async save(conversation = this.state.conversation): Promise<void> {
    if (!conversation) return
    const compact = compactConversation(conversation)
    if (compact !== conversation && this.state.conversation?.id === conversation.id) this.set({ conversation: compact })
    const put = await this.write(() => this.deps.store.put(compact))
    const conversations = await this.write(() => this.deps.store.list(this.deps.projectId))
    if (conversations) this.set({ conversations })
    if (put?.evicted.length) this.set({ notice: `${put.evicted.length} old conversation${put.evicted.length === 1 ? ' was' : 's were'} removed from this device to stay within its space.` })
  }

  // --- Turns.

  /// Sends `text` (the draft by default) with the attached context (or `options.context`) and runs the turn to its
  /// end. Refused — with the draft kept — while offline, while the assistant is off, or while a turn runs.
  async send(text: string = this.state.draft, options: { context?: readonly AiContextKind[] } = {}): Promise<ActionResult> {
    if (this.active || this.starting) return busy
    this.starting = true
    let turnId: string
    try {
      await this.ready
      if (!text.trim()) return this.refuse('bad_request', 'Type a question first.')
      if (text.length > AI_LIMITS.maxTextChars) return this.refuse('payload_too_large', `The message is too long (${text.length} characters; at most ${AI_LIMITS.maxTextChars}).`)
      // Whether the assistant is on, and its prices for the answer's cost, if the panel has not asked yet.
      if (this.state.status.phase === 'loading' && this.deps.online()) await this.refreshStatus()
      const refused = this.cannotSend()
      if (refused) return refused
      const context = (options.context ?? this.state.attached).flatMap((kind) => contextBlock(this.deps.context, kind) ?? [])
      const now = this.now()
      const conversation = this.state.conversation ?? { id: this.newId(), projectId: this.deps.projectId, title: titleOf(text), createdAt: now, updatedAt: now, messages: [], checkpoints: [] }
      turnId = this.newId()
      this.set({ conversation, ...(text === this.state.draft ? { draft: '' } : {}) })
      this.putMessage({ kind: 'prompt', id: this.newId(), turnId, createdAt: now, text, context })
      this.saveProjectState()
      // Queued before the turn's own writes, so the question is kept even if the page goes away mid-answer.
      void this.save()
    } finally {
      this.starting = false
    }
    return this.runTurn(turnId)
  }

  /// Starts a turn that fixes what `kind` shows (a failed run step, preview errors), with that context and the open file.
  fixWithAi(kind: 'run_error' | 'console_errors'): Promise<ActionResult> {
    const text = kind === 'run_error' ? 'The run failed. Find the cause and fix it.' : 'The preview shows errors in its console. Find the cause and fix them.'
    return this.send(text, { context: [kind, 'file'] })
  }

  /// Runs the last turn again from where it failed (an error, no network).
  async retry(): Promise<ActionResult> {
    if (this.active || this.starting) return busy
    const messages = this.state.conversation?.messages ?? []
    const last = messages.at(-1)
    if (!last || (last.kind === 'answer' && !answerIncomplete(last))) return { ok: false, message: 'There is nothing to retry.' }
    return this.cannotSend() ?? this.runTurn(last.turnId)
  }

  private cannotSend(): ActionResult | undefined {
    const status = this.state.status
    if (status.phase === 'ready' && !status.enabled) return this.refuse('ai_unavailable', status.reason ?? 'The assistant is off on this server.')
    if (!this.deps.online()) return this.refuse('offline', 'You are offline: sending needs the network. Your message is kept.')
    return undefined
  }

  private refuse(code: TurnError['code'], message: string): ActionResult {
    this.set({ turn: { phase: 'error', turnId: undefined, error: { code, message } } })
    return { ok: false, message }
  }

  private runTurn(turnId: string): Promise<ActionResult> {
    const done = this.turn(turnId)
    this.turnDone = done
    return done
  }

  private async turn(turnId: string): Promise<ActionResult> {
    const abort = new AbortController()
    this.active = { turnId, abort }
    let outcome: TurnOutcome
    try {
      outcome = await runTurn({
        turnId,
        signal: abort.signal,
        port: this.deps.port,
        newId: () => this.newId(),
        now: () => this.now(),
        request: () => this.request(turnId),
        putMessage: (m) => this.putMessage(m),
        rounds: () => this.state.conversation?.messages.filter((m) => m.turnId === turnId && m.kind === 'tool_results').length ?? 0,
        progress: (round, tools) => {
          if (!abort.signal.aborted) this.set({ turn: { phase: 'streaming', turnId, round, tools } })
        },
        host: (toolUseId) => this.toolHost(turnId, toolUseId),
        price: (model) => this.priceOf(model),
        budget: (budget) => this.set({ budget }),
        save: () => this.save(),
      })
    } catch (err) {
      outcome = { kind: 'error', error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } }
    } finally {
      this.active = undefined
    }
    this.set({ turn: outcome.kind === 'error' ? { phase: 'error', turnId, error: outcome.error } : { phase: 'idle' } })
    await this.save()
    return outcome.kind === 'error' ? { ok: false, message: outcome.error.message } : { ok: true }
  }

  private request(turnId: string): AiMessagesRequest | TurnError {
    const status = this.state.status
    return buildRequest(this.state.conversation?.messages ?? [], turnId, this.state.model, status.phase === 'ready' ? status.models : undefined)
  }

  private priceOf(model: string | undefined): AiModel['price'] {
    const status = this.state.status
    if (status.phase !== 'ready') return undefined
    return (status.models.find((m) => m.id === model) ?? (model ? undefined : status.models[0]))?.price
  }

  /// Stops the turn: the stream ends (keeping what streamed), a command it started is killed, an approval it waits
  /// for is refused.
  stop(): void {
    const active = this.active
    if (!active) return
    active.approval?.decide({ ok: false, message: 'the person stopped the turn' })
    active.abort.abort()
    this.set({ turn: { phase: 'idle' } })
  }

  /// Lets the waiting command run; `always` adds it to the project's allowlist (this exact command).
  approve(toolUseId: string, { always = false } = {}): void {
    const approval = this.active?.approval
    if (approval?.toolUseId === toolUseId) approval.decide({ ok: true, always })
  }

  deny(toolUseId: string, message = ''): void {
    const approval = this.active?.approval
    if (approval?.toolUseId === toolUseId) approval.decide({ ok: false, message })
  }

  private askApproval(turnId: string, toolUseId: string, command: string, signal: AbortSignal): Promise<Approval> {
    const active = this.active
    if (!active || signal.aborted) return Promise.resolve({ ok: false, message: 'the person stopped the turn' })
    const round = this.state.turn.phase === 'streaming' ? this.state.turn.round : 0
    return new Promise<Approval>((resolve) => {
      active.approval = {
        toolUseId,
        decide: (a) => {
          active.approval = undefined
          if (a.ok && a.always && !this.state.allowedCommands.includes(command)) {
            this.set({ allowedCommands: [...this.state.allowedCommands, command] })
            this.saveProjectState()
          }
          if (!signal.aborted) this.set({ turn: { phase: 'streaming', turnId, round, tools: [{ id: toolUseId, name: 'run_command', status: 'running' }] } })
          resolve(a)
        },
      }
      this.set({ turn: { phase: 'awaiting_approval', turnId, round, toolUseId, command } })
    })
  }

  private toolHost(turnId: string, toolUseId: string): ToolHost {
    const origin: OpOrigin = { conversationId: this.state.conversation!.id, turnId }
    return {
      read: (path) => this.review.staging.read(path),
      paths: () => this.review.staging.paths(),
      change: (path, change) => ({ applied: this.review.change(origin, path, change, this.state.applyAtOnce) }),
      runCommand: async (command, timeoutMs, signal) => {
        if (!this.state.allowedCommands.includes(command)) {
          const approval = await this.askApproval(turnId, toolUseId, command, signal)
          if (!approval.ok) return { kind: 'denied', message: approval.message }
        }
        return this.deps.commands.run(command, { timeoutMs, signal })
      },
      stagedCount: () => this.review.staging.store.get().length,
    }
  }

  // --- Review and checkpoints.

  /// The file as the project has it and with the staged changes, for the review's diff.
  diff(path: string): StagedDiff | undefined {
    return this.review.staging.diff(path)
  }

  accept(path: string): Promise<AcceptReport> {
    return this.acceptPaths([path])
  }

  acceptAll(): Promise<AcceptReport> {
    return this.acceptPaths(this.review.staging.store.get().map((f) => f.path))
  }

  reject(path: string): void {
    this.review.staging.reject([path])
  }

  rejectAll(): void {
    this.review.staging.reject(this.review.staging.store.get().map((f) => f.path))
  }

  private async acceptPaths(paths: readonly string[]): Promise<AcceptReport> {
    const report = await this.review.accept(paths)
    if (report.conflicts.length) this.set({ notice: report.conflicts.map((c) => c.message).join('\n') })
    if (report.applied.length && !this.active) await this.save()
    return report
  }

  /// Undoes a turn of the open conversation: its applied edits are reverted exactly through Yjs (after a reload and
  /// after sync too), files it created are deleted, files it deleted come back; its staged edits are dropped. Where
  /// someone changed things since, the report says which files differ.
  async undoTurn(turnId: string): Promise<UndoResult> {
    if (this.active) return { ok: false, message: BUSY }
    if (!this.state.conversation?.messages.some((m) => m.turnId === turnId)) return { ok: false, message: 'That turn is not in the open conversation.' }
    const result = this.review.undo(turnId)
    if (!result.ok) return result
    const differs = result.differs.map((d) => `${d.path}: ${d.reason}`)
    this.set({ notice: differs.length ? `Undone, except where files changed since:\n${differs.join('\n')}` : `Undone: ${result.restored.length} file${result.restored.length === 1 ? '' : 's'} restored.` })
    await this.save()
    return result
  }

  /// Stops a running turn (its partial answer is saved), then lets go of what the constructor set up.
  async dispose(): Promise<void> {
    this.stop()
    await this.turnDone
    this.disposables.dispose()
    this.disposed = true
    await this.writes
  }
}

const BUSY = 'The assistant is still answering: stop it first, or wait.'
const busy: ActionResult = { ok: false, message: BUSY }
