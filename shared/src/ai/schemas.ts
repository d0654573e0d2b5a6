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
export const AiBlockSchema = z.discriminatedUnion('type', [AiTextBlockSchema, AiToolUseBlockSchema, AiToolResultBlockSchema])
export type AiBlock = z.infer<typeof AiBlockSchema>

export const AiMessageSchema = z.strictObject({
  role: z.enum(['user', 'assistant']),
  content: z.array(AiBlockSchema).min(1).max(AI_LIMITS.maxBlocksPerMessage),
})
export type AiMessage = z.infer<typeof AiMessageSchema>

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
})
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

export const AiModelSchema = z.object({
  id: z.string(),
  /// USD per million tokens, when known: input, output, cache read, cache write.
  price: z.object({ input: z.number(), output: z.number(), cacheRead: z.number(), cacheWrite: z.number() }).optional(),
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
/// - `done`: the model call ended; `stop_reason` is the API's (`end_turn`, `tool_use`, `max_tokens`…).
/// - `error`: the call failed; what streamed before it stands. Always the last event when present.
export const AiStreamEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), model: z.string() }),
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('tool_start'), id: z.string(), name: z.string() }),
  z.object({ type: z.literal('tool'), id: z.string(), name: z.string(), input: z.record(z.string(), z.unknown()) }),
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
