import { z } from 'zod'
import { ErrorCodeSchema } from '../errors.ts'
import { AI_LIMITS } from './limits.ts'
import { AiToolNameSchema } from './tools.ts'

/// The AI assistant's routes (all under the signed-in user's session; unsafe ones behind the CSRF guard).
export const AI_API = {
  /// `GET`: whether the assistant is on, its models and today's use (`AiStatusSchema`).
  status: '/api/ai/status',
  /// `POST` an `AiMessagesRequest`; answers `text/event-stream` of `AiStreamEvent`s (one `data:` JSON per event).
  messages: '/api/ai/messages',
} as const

const Text = z.string().max(AI_LIMITS.maxTextChars)

/// A block of a message, as the Messages API has them, limited to what the assistant uses. Tool calls come back from
/// the model (assistant role); their results go in the next user message.
export const AiTextBlockSchema = z.strictObject({ type: z.literal('text'), text: Text })
export const AiToolUseBlockSchema = z.strictObject({
  type: z.literal('tool_use'),
  /// The Messages API's id (`toolu_…`).
  id: z.string().min(1).max(128).regex(/^[A-Za-z0-9_-]+$/),
  name: AiToolNameSchema,
  input: z.record(z.string(), z.unknown()),
})
export const AiToolResultBlockSchema = z.strictObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1).max(128).regex(/^[A-Za-z0-9_-]+$/),
  content: z.string().max(AI_LIMITS.maxToolResultChars),
  is_error: z.boolean().optional(),
})
/// The model's thinking, as the `thinking` stream event delivered it (on current models thinking is on by default; its
/// text is often empty, the `signature` is what counts). An assistant message that called tools must carry its
/// thinking blocks back unchanged, or the Messages API refuses the next request; the API checks the signature, so a
/// forged block gains nothing.
export const AiThinkingBlockSchema = z.strictObject({
  type: z.literal('thinking'),
  thinking: Text,
  signature: z.string().max(AI_LIMITS.maxTextChars),
})
/// Thinking the API returned encrypted; passed back unchanged like `thinking`.
export const AiRedactedThinkingBlockSchema = z.strictObject({ type: z.literal('redacted_thinking'), data: z.string().max(AI_LIMITS.maxTextChars) })
export type AiThinkingBlock = z.infer<typeof AiThinkingBlockSchema> | z.infer<typeof AiRedactedThinkingBlockSchema>

export const AiBlockSchema = z.discriminatedUnion('type', [
  AiTextBlockSchema,
  AiToolUseBlockSchema,
  AiToolResultBlockSchema,
  AiThinkingBlockSchema,
  AiRedactedThinkingBlockSchema,
])
export type AiBlock = z.infer<typeof AiBlockSchema>

export const AiMessageSchema = z.strictObject({
  role: z.enum(['user', 'assistant']),
  content: z.array(AiBlockSchema).min(1).max(AI_LIMITS.maxBlocksPerMessage),
})
export type AiMessage = z.infer<typeof AiMessageSchema>

/// Blocks only the model writes (assistant role) and blocks only the person's side sends (user role).
const ASSISTANT_ONLY = new Set(['tool_use', 'thinking', 'redacted_thinking'])
const USER_ONLY = new Set(['tool_result'])

/// The order the Messages API needs: the first and the last message are the user's (the API refuses a conversation
/// that ends with the assistant's message on current models), and each block sits in the role that writes it.
function checkConversation(messages: readonly AiMessage[], ctx: z.RefinementCtx) {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path: ['messages', ...path], message })
  if (messages[0]?.role !== 'user') issue([0, 'role'], 'The conversation must start with a user message')
  if (messages.length > 0 && messages[messages.length - 1]!.role !== 'user') issue([messages.length - 1, 'role'], 'The conversation must end with a user message')
  messages.forEach((m, i) =>
    m.content.forEach((b, j) => {
      if ((m.role === 'user' ? ASSISTANT_ONLY : USER_ONLY).has(b.type)) issue([i, 'content', j, 'type'], `A ${m.role} message cannot hold a ${b.type} block`)
    }),
  )
}

/// What the person attached to a turn. The server wraps each in clear delimiters as data, never as instructions.
export const AiContextKindSchema = z.enum(['file', 'selection', 'run_error', 'console_errors'])
export type AiContextKind = z.infer<typeof AiContextKindSchema>
export const AiContextBlockSchema = z.strictObject({
  kind: AiContextKindSchema,
  /// A project path, or a short label ("npm run dev", "preview console").
  label: z.string().min(1).max(512),
  text: z.string().max(AI_LIMITS.maxContextChars),
})
export type AiContextBlock = z.infer<typeof AiContextBlockSchema>

/// Body of `POST /api/ai/messages`. No system prompt, tools or `max_tokens`: those are the server's.
export const AiMessagesRequestSchema = z.strictObject({
  /// One of the allowlist (`AiStatus.models`); omitted: the default (the first).
  model: z.string().min(1).max(128).optional(),
  /// Oldest first; starts and ends with a user message.
  messages: z.array(AiMessageSchema).min(1).max(AI_LIMITS.maxMessages),
  context: z.array(AiContextBlockSchema).max(AI_LIMITS.maxContextBlocks).optional(),
}).superRefine((body, ctx) => checkConversation(body.messages, ctx))
export type AiMessagesRequest = z.infer<typeof AiMessagesRequestSchema>

/// Tokens of one model call, as the Messages API's `usage` reports them.
export const AiUsageSchema = z.object({
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  cache_read_input_tokens: z.number().int().nonnegative(),
  cache_creation_input_tokens: z.number().int().nonnegative(),
})
export type AiUsage = z.infer<typeof AiUsageSchema>

/// Today's use of the per-user budget (tokens, UTC day).
export const AiBudgetSchema = z.object({ used: z.number().int().nonnegative(), limit: z.number().int().nonnegative(), resetsAt: z.string() })
export type AiBudget = z.infer<typeof AiBudgetSchema>

const Prices = { input: z.number(), output: z.number(), cacheRead: z.number(), cacheWrite: z.number() }
export const AiModelSchema = z.object({
  id: z.string(),
  /// USD per million tokens, when known: input, output, cache read, cache write (5-minute). `longPrompt`: a model
  /// priced by prompt length charges these instead for every token of a call whose prompt (input + cache reads +
  /// cache writes) is over `aboveTokens`.
  price: z.object({ ...Prices, longPrompt: z.object({ aboveTokens: z.number(), ...Prices }).optional() }).optional(),
})
export type AiModel = z.infer<typeof AiModelSchema>

/// `GET /api/ai/status`. `enabled: false` when the server has no `ANTHROPIC_API_KEY` (then `reason` says so and
/// names the variable; models and budget are empty).
export const AiStatusSchema = z.object({
  enabled: z.boolean(),
  reason: z.string().optional(),
  models: z.array(AiModelSchema),
  budget: AiBudgetSchema.optional(),
})
export type AiStatus = z.infer<typeof AiStatusSchema>

/// One server-sent event of a `POST /api/ai/messages` stream, sent as `event: <type>` + `data: <json>`.
/// - `start`: the upstream call began (after any retries of a 529 or 429 before the first byte).
/// - `text`: a piece of the answer's text.
/// - `tool_start`: the model began a tool call (its input still streaming).
/// - `tool`: a whole tool call, its input assembled from the `input_json_delta` pieces and parsed.
/// - `thinking`: a whole thinking block of the model's, to keep in the assistant message exactly as it is and send
///   back with the conversation (its text is often empty: current models omit it by default).
/// - `done`: the model call ended; `stop_reason` is the API's (`end_turn`, `tool_use`, `max_tokens`…).
/// - `error`: the call failed; what streamed before it stands. Always the last event when present.
export const AiStreamEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), model: z.string() }),
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('tool_start'), id: z.string(), name: z.string() }),
  z.object({ type: z.literal('tool'), id: z.string(), name: z.string(), input: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('thinking'), block: z.discriminatedUnion('type', [AiThinkingBlockSchema, AiRedactedThinkingBlockSchema]) }),
  z.object({ type: z.literal('done'), stop_reason: z.string().nullable(), usage: AiUsageSchema, budget: AiBudgetSchema }),
  z.object({
    type: z.literal('error'),
    code: ErrorCodeSchema,
    /// Safe to show: never an upstream body, a stack or the key.
    message: z.string(),
    usage: AiUsageSchema.optional(),
  }),
])
export type AiStreamEvent = z.infer<typeof AiStreamEventSchema>
