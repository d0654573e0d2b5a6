/// What the assistant panel reads: `AiSession.store`'s state and the results of its actions.
import type { AiBudget, AiContextKind, AiModel } from '@slipway/shared'
import type { UndoReport } from './checkpoints.ts'
import type { ContextOption } from './context.ts'
import type { Conversation, ConversationSummary, TurnError } from './conversation.ts'
import type { StagedKind } from './staging.ts'
import type { ToolActivity } from './turnLoop.ts'

export type AiStatusView =
  | { phase: 'loading' }
  | { phase: 'ready'; enabled: boolean; reason?: string; models: readonly AiModel[] }
  | { phase: 'error'; error: TurnError }

export type TurnState =
  | { phase: 'idle' }
  | { phase: 'streaming'; turnId: string; round: number; tools: readonly ToolActivity[] }
  /// A `run_command` call waits for the person: `approve(toolUseId)` or `deny(toolUseId)`.
  | { phase: 'awaiting_approval'; turnId: string; round: number; toolUseId: string; command: string }
  | { phase: 'error'; turnId: string | undefined; error: TurnError }

export interface StagedView {
  path: string
  kind: StagedKind
  turnIds: readonly string[]
}

export interface AiState {
  /// The project's stored state and last conversation are loaded.
  loaded: boolean
  status: AiStatusView
  /// Today's use of the token budget (from the status, then from each answer).
  budget: AiBudget | undefined
  conversations: readonly ConversationSummary[]
  /// The open conversation; undefined for a new one not sent yet.
  conversation: Conversation | undefined
  turn: TurnState
  /// The model asked for (one of `status.models`); undefined: the server's default.
  model: string | undefined
  applyAtOnce: boolean
  allowedCommands: readonly string[]
  staged: readonly StagedView[]
  /// What the person is typing; kept when a send fails.
  draft: string
  /// Context chips attached to the next question.
  attached: readonly AiContextKind[]
  /// Every chip with whether it has something now.
  context: readonly ContextOption[]
  /// The last thing worth telling the person (an undo's result, conversations evicted, a conflict).
  notice: string | undefined
}

export type ActionResult = { ok: true } | { ok: false; message: string }
export type UndoResult = ({ ok: true } & UndoReport) | { ok: false; message: string }
