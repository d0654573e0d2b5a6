/// Conversations with the assistant as they are kept (IndexedDB, per project) and as they go on the wire. Rows are
/// checked with these schemas when read; `toWire` turns a conversation into the Messages API's alternating
/// user/assistant messages within the request limits. Pure.
import {
  AI_LIMITS,
  AiContextBlockSchema,
  AiMessagesRequestSchema,
  AiRedactedThinkingBlockSchema,
  AiTextBlockSchema,
  AiThinkingBlockSchema,
  AiToolUseBlockSchema,
  AiUsageSchema,
  ErrorCodeSchema,
} from '@slipway/shared'
import type { AiBlock, AiMessage, AiMessagesRequest, AiModel } from '@slipway/shared'
import { z } from 'zod'
import { FileRecordSchema } from './checkpoints.ts'
import { utf8Length } from './dataBlock.ts'
import { StagedFileSchema } from './staging.ts'

/// How much this browser keeps per project; past it, the least recently used conversations go first.
export const AI_STORE_LIMITS = {
  conversationsPerProject: 50,
  bytesPerProject: 8 * 1024 * 1024,
  /// One conversation past this loses its oldest turns (the latest turn is always kept).
  bytesPerConversation: 2 * 1024 * 1024,
} as const

/// Why a turn failed: a server error code, or `network` (no answer), `offline` (not sent), `bad_stream` (an answer
/// that broke the contract).
export const TurnErrorSchema = z.object({
  code: z.union([ErrorCodeSchema, z.enum(['network', 'offline', 'bad_stream'])]),
  message: z.string(),
})
export type TurnError = z.infer<typeof TurnErrorSchema>

const Base = { id: z.string(), turnId: z.string(), createdAt: z.string() }

/// What the person asked, with the context they attached (kept, so a reload shows it).
export const PromptMessageSchema = z.object({ kind: z.literal('prompt'), ...Base, text: z.string(), context: z.array(AiContextBlockSchema) })
/// One model call's answer: its text, tool calls and thinking blocks in the order they came, and what it cost. Thinking
/// blocks are kept exactly as they arrived: the Messages API refuses a tool round whose assistant turn lost them.
export const AnswerMessageSchema = z.object({
  kind: z.literal('answer'),
  ...Base,
  blocks: z.array(z.discriminatedUnion('type', [AiTextBlockSchema, AiToolUseBlockSchema, AiThinkingBlockSchema, AiRedactedThinkingBlockSchema])),
  model: z.string().optional(),
  usage: AiUsageSchema.optional(),
  /// USD, when the model's price is known.
  costUsd: z.number().optional(),
  stopReason: z.string().nullable().optional(),
  error: TurnErrorSchema.optional(),
  /// The person pressed Stop while it streamed.
  stopped: z.boolean().optional(),
  /// Said to the person, not sent to the model ("Stopped after 25 tool rounds").
  note: z.string().optional(),
  /// It is still streaming. Stored while it streams (so a reload keeps the partial answer); a stored answer that still
  /// says so was cut off by the page closing, and `settleInterrupted` turns it into an `interrupted` one when loaded.
  streaming: z.boolean().optional(),
  /// The page was closed before the answer finished: what had streamed is kept and shown, and the answer counts as
  /// failed (it is not sent again, and Retry asks its question again).
  interrupted: z.boolean().optional(),
})
export const ToolResultSchema = z.object({
  tool_use_id: z.string(),
  name: z.string(),
  content: z.string().max(AI_LIMITS.maxToolResultChars),
  is_error: z.boolean(),
  summary: z.string(),
  path: z.string().optional(),
})
export type ToolResult = z.infer<typeof ToolResultSchema>
export const ToolResultsMessageSchema = z.object({ kind: z.literal('tool_results'), ...Base, results: z.array(ToolResultSchema) })

export const ChatMessageSchema = z.discriminatedUnion('kind', [PromptMessageSchema, AnswerMessageSchema, ToolResultsMessageSchema])
export type ChatMessage = z.infer<typeof ChatMessageSchema>
export type PromptMessage = z.infer<typeof PromptMessageSchema>
export type AnswerMessage = z.infer<typeof AnswerMessageSchema>
export type ToolResultsMessage = z.infer<typeof ToolResultsMessageSchema>

/// What a turn did to the project's files (see checkpoints.ts), and whether it was undone.
export const CheckpointSchema = z.object({
  turnId: z.string(),
  files: z.array(FileRecordSchema),
  undone: z.object({ at: z.string(), differs: z.array(z.object({ path: z.string(), reason: z.string() })) }).optional(),
})
export type Checkpoint = z.infer<typeof CheckpointSchema>

export const ConversationSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  title: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  messages: z.array(ChatMessageSchema),
  checkpoints: z.array(CheckpointSchema),
})
export type Conversation = z.infer<typeof ConversationSchema>

export const ConversationSummarySchema = z.object({
  id: z.string(),
  projectId: z.string(),
  title: z.string(),
  updatedAt: z.string(),
  /// UTF-8 bytes of the stored conversation (what the per-project bound counts).
  bytes: z.number().int().nonnegative(),
  messages: z.number().int().nonnegative(),
})
export type ConversationSummary = z.infer<typeof ConversationSummarySchema>

/// Per project: commands the person allowed, the review setting, the chosen model, the staged edits.
export const AiProjectStateSchema = z.object({
  /// Exact commands `run_command` may run without asking.
  allowedCommands: z.array(z.string().max(2_000)).max(200).default([]),
  /// Apply the assistant's edits at once (still undoable) instead of staging them for review.
  applyAtOnce: z.boolean().default(false),
  model: z.string().optional(),
  staged: z.array(StagedFileSchema).default([]),
  /// The conversation open last, reopened with the project.
  lastConversationId: z.string().optional(),
})
export type AiProjectState = z.infer<typeof AiProjectStateSchema>

/// Where conversations are kept (adapters/persistence/AiConversations.ts over IndexedDB).
export interface AiConversationStore {
  /// The project's conversations, most recently updated first.
  list(projectId: string): Promise<ConversationSummary[]>
  get(projectId: string, id: string): Promise<Conversation | undefined>
  /// Stores a conversation; the project's least recently updated ones beyond `AI_STORE_LIMITS` are deleted (never
  /// this one) and named in `evicted`.
  put(conversation: Conversation): Promise<{ evicted: string[] }>
  /// Stores a conversation for a page that is being hidden or left: every write is started in this task and nothing
  /// waits on a read, so it can land even if no later task runs. The bounds are left to the next `put`.
  putNow(conversation: Conversation): Promise<void>
  delete(projectId: string, id: string): Promise<void>
  getProjectState(projectId: string): Promise<AiProjectState>
  putProjectState(projectId: string, state: AiProjectState): Promise<void>
}

/// Which of a project's other conversations to delete when `written` is stored, so the project stays within both
/// bounds: the least recently updated go first; `written` always stays.
export function evictions(
  written: ConversationSummary,
  others: readonly ConversationSummary[],
  limits: { conversationsPerProject: number; bytesPerProject: number } = AI_STORE_LIMITS,
): string[] {
  let count = 1
  let bytes = written.bytes
  const out: string[] = []
  for (const s of [...others].filter((o) => o.id !== written.id).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))) {
    if (count + 1 <= limits.conversationsPerProject && bytes + s.bytes <= limits.bytesPerProject) {
      count++
      bytes += s.bytes
    } else out.push(s.id)
  }
  return out
}

/// The summary row of a conversation.
export function summaryOf(c: Conversation): ConversationSummary {
  return { id: c.id, projectId: c.projectId, title: c.title, updatedAt: c.updatedAt, bytes: jsonBytes(c), messages: c.messages.length }
}

/// UTF-8 bytes of a value as JSON.
export function jsonBytes(value: unknown): number {
  return utf8Length(JSON.stringify(value))
}

/// A conversation's title: the start of its first prompt.
export function titleOf(text: string): string {
  const line = text.trim().split('\n')[0]!.trim()
  return line.length > 60 ? `${line.slice(0, 59)}…` : line || 'New conversation'
}

/// Turns in order, each the messages from a prompt up to the next one.
function turns(messages: readonly ChatMessage[]): ChatMessage[][] {
  const out: ChatMessage[][] = []
  for (const m of messages) {
    if (m.kind === 'prompt' || !out.length) out.push([m])
    else out.at(-1)!.push(m)
  }
  return out
}

/// The conversation within `AI_STORE_LIMITS.bytesPerConversation`: its oldest turns (and their checkpoints) dropped
/// until it fits. The latest turn is always kept.
export function compactConversation(c: Conversation, maxBytes: number = AI_STORE_LIMITS.bytesPerConversation): Conversation {
  if (jsonBytes(c) <= maxBytes) return c
  const all = turns(c.messages)
  let kept = all
  let size = jsonBytes(c)
  const dropped = new Set<string>()
  while (kept.length > 1 && size > maxBytes) {
    const [first, ...rest] = kept
    size -= jsonBytes(first) + jsonBytes(c.checkpoints.filter((cp) => cp.turnId === first![0]!.turnId))
    dropped.add(first![0]!.turnId)
    kept = rest
  }
  return { ...c, messages: kept.flat(), checkpoints: c.checkpoints.filter((cp) => !dropped.has(cp.turnId)) }
}

/// The Messages API's conversation for `messages`: prompts and tool results as user messages, answers as assistant
/// messages, consecutive ones of a role merged, empty text dropped, every tool call answered (a call with no result —
/// a stopped turn, a reload mid-turn — gets an error result; a result with no call is dropped), starting and ending
/// with a user message. The oldest turns are left out until it fits `AI_LIMITS` (`maxMessages`, and `maxBytes` of
/// JSON for the messages); `dropped` counts the turns left out.
export function toWire(messages: readonly ChatMessage[], maxBytes: number = AI_LIMITS.maxBodyBytes - 256 * 1024): { messages: AiMessage[]; dropped: number } {
  const all = turns(messages)
  const fits = (wire: AiMessage[]) => wire.length <= AI_LIMITS.maxMessages && jsonBytes(wire) <= maxBytes
  const whole = build(all.flat())
  if (fits(whole)) return { messages: whole, dropped: 0 }
  // Leaving out more turns never makes it bigger: search for the fewest to leave out (the latest turn always goes).
  let lo = 1
  let hi = Math.max(0, all.length - 1)
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (fits(build(all.slice(mid).flat()))) hi = mid
    else lo = mid + 1
  }
  return { messages: build(all.slice(hi).flat()), dropped: hi }
}

function build(messages: readonly ChatMessage[]): AiMessage[] {
  const out: Array<{ role: 'user' | 'assistant'; content: AiBlock[] }> = []
  const push = (role: 'user' | 'assistant', blocks: AiBlock[]) => {
    if (!blocks.length) return
    const last = out.at(-1)
    if (last?.role === role) last.content.push(...blocks)
    else out.push({ role, content: [...blocks] })
  }
  for (const m of messages) {
    if (m.kind === 'prompt') push('user', m.text.trim() ? [{ type: 'text', text: m.text }] : [])
    else if (m.kind === 'answer') {
      const blocks = m.blocks.filter((b) => b.type !== 'text' || b.text.trim())
      // Thinking alone (an answer stopped before it said anything) is no message of its own.
      push('assistant', blocks.some((b) => b.type === 'text' || b.type === 'tool_use') ? blocks : [])
    }
    else push('user', m.results.map((r) => ({ type: 'tool_result', tool_use_id: r.tool_use_id, content: r.content, ...(r.is_error ? { is_error: true } : {}) })))
  }
  // Pair calls and results: the user message after an assistant message answers each of its calls, results first.
  for (let i = 0; i < out.length; i++) {
    const m = out[i]!
    if (m.role !== 'user') continue
    const prev = out[i - 1]
    const calls = prev?.role === 'assistant' ? prev.content.flatMap((b) => (b.type === 'tool_use' ? [b.id] : [])) : []
    const results = new Map(m.content.flatMap((b) => (b.type === 'tool_result' ? [[b.tool_use_id, b] as const] : [])))
    const answered: AiBlock[] = calls.map(
      (id) => results.get(id) ?? { type: 'tool_result', tool_use_id: id, content: 'This tool call was not run (the turn ended before it).', is_error: true },
    )
    m.content = [...answered, ...m.content.filter((b) => b.type !== 'tool_result')]
  }
  const last = out.at(-1)
  if (last?.role === 'assistant') {
    const calls = last.content.flatMap((b) => (b.type === 'tool_use' ? [b.id] : []))
    if (calls.length) out.push({ role: 'user', content: calls.map((id) => ({ type: 'tool_result', tool_use_id: id, content: 'This tool call was not run (the turn ended before it).', is_error: true })) })
  }
  while (out[0]?.role === 'assistant') out.shift()
  return out.filter((m) => m.content.length).map((m) => ({ role: m.role, content: m.content.slice(0, AI_LIMITS.maxBlocksPerMessage) }))
}

/// An answer that did not complete: it failed, it was cut off by the page closing, or it is still streaming. Its
/// partial text stays on screen but never goes back to the model, and a turn with only such answers got none.
export function answerIncomplete(m: AnswerMessage): boolean {
  return Boolean(m.error || m.interrupted || m.streaming)
}

/// The conversation as it is loaded: answers stored while they streamed (the page closed before they finished) are
/// marked `interrupted`, and so is a last answer whose tool calls never got their results (the page closed while a
/// command waited for approval, or while its tools ran). Returns `c` itself when there are none.
export function settleInterrupted(c: Conversation): Conversation {
  const last = c.messages.at(-1)
  const dangling = last?.kind === 'answer' && !answerIncomplete(last) && !last.stopped && last.blocks.some((b) => b.type === 'tool_use') ? last.id : undefined
  if (!dangling && !c.messages.some((m) => m.kind === 'answer' && m.streaming)) return c
  return {
    ...c,
    messages: c.messages.map((m) => {
      if (m.kind !== 'answer' || (!m.streaming && m.id !== dangling)) return m
      const { streaming: _, ...rest } = m
      return { ...rest, interrupted: true }
    }),
  }
}

/// The request for a conversation's turn `turnId`: incomplete answers (failed, or cut off by a reload mid-stream)
/// are left out (what they streamed stays on screen), and so are earlier turns that got no complete answer: their
/// question is not asked again with the next one. A partial answer is not sent back as if the model had said it:
/// the model would take its truncated text as its own finished reply, and the person's question as answered. The turn's context goes with every round of it, `model` only when the server
/// still allows it. Checked against the wire contract; a request it refuses is a `TurnError`.
export function buildRequest(messages: readonly ChatMessage[], turnId: string, model: string | undefined, models: readonly AiModel[] | undefined): AiMessagesRequest | TurnError {
  const answered = new Set(messages.flatMap((m) => (m.kind === 'answer' && !answerIncomplete(m) ? [m.turnId] : [])))
  const wire = toWire(messages.filter((m) => (m.kind !== 'answer' || !answerIncomplete(m)) && (m.turnId === turnId || answered.has(m.turnId))))
  const prompt = messages.find((m): m is PromptMessage => m.kind === 'prompt' && m.turnId === turnId)
  const context = prompt?.context ?? []
  const request = {
    ...(model && (!models || models.some((m) => m.id === model)) ? { model } : {}),
    messages: wire.messages,
    ...(context.length ? { context } : {}),
  }
  const parsed = AiMessagesRequestSchema.safeParse(request)
  if (!parsed.success) return { code: 'invalid_body', message: `The conversation cannot be sent: ${parsed.error.issues[0]?.message ?? 'invalid'}` }
  if (jsonBytes(request) > AI_LIMITS.maxBodyBytes) return { code: 'payload_too_large', message: 'The question with its context is too large to send; attach less context.' }
  return parsed.data
}
