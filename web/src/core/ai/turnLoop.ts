/// One turn of the assistant: send the conversation, stream the answer into it, and while the model stops to use
/// tools, run them and send their results — at most `AI_LIMITS.maxToolRounds` rounds, then stop and say so. An
/// error keeps what streamed before it; Stop (the signal) ends the stream and whatever tool is running.
import { AI_LIMITS, AiToolUseBlockSchema } from '@slipway/shared'
import type { AiBudget, AiMessagesRequest, AiModel } from '@slipway/shared'
import type { AiPort } from './AiPort.ts'
import type { AnswerMessage, ChatMessage, ToolResult, TurnError } from './conversation.ts'
import { runTool } from './tools.ts'
import type { ToolHost } from './tools.ts'
import { unreachable } from '../unreachable.ts'
import { costUsd } from './usage.ts'

/// A tool call the panel shows while a turn runs: its input still streaming, or running.
export interface ToolActivity {
  id: string
  name: string
  status: 'preparing' | 'running'
}

export interface TurnLoopContext {
  turnId: string
  signal: AbortSignal
  port: AiPort
  newId(): string
  now(): string
  /// The request for the conversation as it is now, or why it cannot be sent.
  request(): AiMessagesRequest | TurnError
  /// Adds a message, or replaces the one with the same id.
  putMessage(message: ChatMessage): void
  /// Tool rounds this turn has had so far.
  rounds(): number
  /// What the panel shows of the turn while it streams.
  progress(round: number, tools: readonly ToolActivity[]): void
  /// The tools' view of the project for one call.
  host(toolUseId: string): ToolHost
  price(model: string | undefined): AiModel['price']
  budget(budget: AiBudget): void
  /// Persists the conversation (after each round).
  save(): Promise<void>
}

export type TurnOutcome = { kind: 'done' } | { kind: 'stopped' } | { kind: 'round_limit' } | { kind: 'error'; error: TurnError }

export async function runTurn(ctx: TurnLoopContext): Promise<TurnOutcome> {
  for (;;) {
    const round = ctx.rounds()
    ctx.progress(round, [])
    const request = ctx.request()
    if ('code' in request) return { kind: 'error', error: request }
    const answer = await streamAnswer(ctx, request, round)
    if (ctx.signal.aborted) {
      ctx.putMessage({ ...answer, stopped: true })
      return { kind: 'stopped' }
    }
    if (answer.error) return { kind: 'error', error: answer.error }
    const calls = answer.blocks.flatMap((b) => (b.type === 'tool_use' ? [b] : []))
    if (!calls.length) return { kind: 'done' }
    if (round >= AI_LIMITS.maxToolRounds) {
      const note = `Stopped after ${AI_LIMITS.maxToolRounds} tool rounds, the most one turn may take. Ask again to go on.`
      ctx.putMessage({ ...answer, note })
      ctx.putMessage(resultsMessage(ctx, calls.map((c) => notRun(c, `Not run: the turn reached its limit of ${AI_LIMITS.maxToolRounds} tool rounds.`))))
      return { kind: 'round_limit' }
    }
    // The answer is whole: store it before its tools run (a command may wait long for approval, and a page closed
    // meanwhile must find the answer, not the last piece stored while it streamed).
    await ctx.save()
    const results: ToolResult[] = []
    for (const call of calls) {
      if (ctx.signal.aborted) break
      ctx.progress(round, [{ id: call.id, name: call.name, status: 'running' }])
      const outcome = await runTool(ctx.host(call.id), call.name, call.input, ctx.signal)
      results.push({
        tool_use_id: call.id,
        name: call.name,
        content: outcome.content,
        is_error: outcome.isError,
        summary: outcome.summary,
        ...(outcome.path ? { path: outcome.path } : {}),
      })
    }
    for (const call of calls.slice(results.length)) results.push(notRun(call, 'Not run: the person stopped the turn.'))
    ctx.putMessage(resultsMessage(ctx, results))
    await ctx.save()
    if (ctx.signal.aborted) return { kind: 'stopped' }
  }
}

function notRun(call: { id: string; name: string }, content: string): ToolResult {
  return { tool_use_id: call.id, name: call.name, content, is_error: true, summary: content }
}

function resultsMessage(ctx: TurnLoopContext, results: ToolResult[]): ChatMessage {
  return { kind: 'tool_results', id: ctx.newId(), turnId: ctx.turnId, createdAt: ctx.now(), results }
}

/// Streams one model call into a new answer message, which it keeps current in the conversation as events arrive.
/// The answer says `streaming` until it ends (done, failed or stopped), so one stored meanwhile reads as cut off.
async function streamAnswer(ctx: TurnLoopContext, request: AiMessagesRequest, round: number): Promise<AnswerMessage> {
  let answer: AnswerMessage = { kind: 'answer', id: ctx.newId(), turnId: ctx.turnId, createdAt: ctx.now(), blocks: [], streaming: true }
  const put = (next: AnswerMessage) => {
    answer = next
    ctx.putMessage(answer)
  }
  const finish = (): AnswerMessage => {
    const { streaming: _, ...ended } = answer
    put(ended)
    return ended
  }
  put(answer)
  let tools: ToolActivity[] = []
  let ended = false
  const fail = (error: TurnError) => put({ ...answer, error })
  try {
    for await (const event of ctx.port.messages(request, ctx.signal)) {
      if (ctx.signal.aborted) break
      switch (event.type) {
        case 'start':
          put({ ...answer, model: event.model })
          break
        case 'text': {
          const last = answer.blocks.at(-1)
          const blocks = last?.type === 'text' ? [...answer.blocks.slice(0, -1), { ...last, text: last.text + event.text }] : [...answer.blocks, { type: 'text' as const, text: event.text }]
          put({ ...answer, blocks })
          break
        }
        case 'thinking':
          // Kept whole and in place, to go back unchanged with the next round.
          put({ ...answer, blocks: [...answer.blocks, event.block] })
          break
        case 'tool_start':
          tools = [...tools, { id: event.id, name: event.name, status: 'preparing' }]
          ctx.progress(round, tools)
          break
        case 'tool': {
          const block = AiToolUseBlockSchema.safeParse({ type: 'tool_use', id: event.id, name: event.name, input: event.input })
          if (!block.success) {
            fail({ code: 'bad_stream', message: `The answer called a tool the assistant does not have (${JSON.stringify(event.name)}).` })
            ended = true
            break
          }
          if (answer.blocks.length >= AI_LIMITS.maxBlocksPerMessage - 1) {
            fail({ code: 'bad_stream', message: `The answer made more tool calls than one message may carry (${AI_LIMITS.maxBlocksPerMessage}).` })
            ended = true
            break
          }
          tools = tools.filter((t) => t.id !== event.id)
          ctx.progress(round, tools)
          put({ ...answer, blocks: [...answer.blocks, block.data] })
          break
        }
        case 'done': {
          const cost = costUsd(event.usage, ctx.price(answer.model))
          put({ ...answer, usage: event.usage, stopReason: event.stop_reason, ...(cost !== undefined ? { costUsd: cost } : {}) })
          ctx.budget(event.budget)
          ended = true
          break
        }
        case 'error': {
          const cost = event.usage && costUsd(event.usage, ctx.price(answer.model))
          put({
            ...answer,
            error: { code: event.code, message: event.message },
            ...(event.usage ? { usage: event.usage } : {}),
            ...(cost !== undefined ? { costUsd: cost } : {}),
          })
          ended = true
          break
        }
        default:
          unreachable(event)
      }
      if (ended) break
    }
  } catch (err) {
    if (!ctx.signal.aborted) fail({ code: 'network', message: `The answer broke off: ${err instanceof Error ? err.message : String(err)}` })
    return finish()
  }
  if (!ended && !ctx.signal.aborted) fail({ code: 'network', message: 'The answer ended before it was complete.' })
  // An answer that asked for tools but was cut off has no results coming: its calls stay unanswered (the wire marks
  // them as not run), and the turn ends on the error.
  return finish()
}
