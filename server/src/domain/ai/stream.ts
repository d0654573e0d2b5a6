import type { AiStreamEvent, AiThinkingBlock, AiUsage } from '@slipway/shared'
import type { LlmStreamEvent, LlmUsage } from '../../ports.ts'

type Open =
  | { type: 'text' }
  | { type: 'tool_use'; id: string; name: string; json: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'other' }

/// Turns the Messages API's stream events into the proxy's (`AiStreamEvent`): text deltas pass on as they come; a
/// tool call is announced at its start and sent whole at its end, its input assembled from the `input_json_delta`
/// pieces and parsed; a thinking block is sent whole at its end. Keeps the running usage. A pure state machine: no
/// I/O, fed one event at a time (tests feed it streams split every possible way).
export class StreamAssembler {
  readonly usage: AiUsage = { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 }
  model: string | undefined
  stopReason: string | null = null
  /// A `message_start` arrived (the call is billed from here on).
  started = false
  /// A `message_stop` arrived: the answer is whole.
  complete = false
  /// Characters of output streamed so far (text, tool input, thinking): the estimate of output tokens for a call
  /// that ends before its final usage arrives.
  outputChars = 0
  /// Set when the stream cannot go on (a tool call whose input is not JSON): `push` returned the error event.
  failed = false
  private readonly blocks = new Map<number, Open>()

  push(event: LlmStreamEvent): AiStreamEvent[] {
    if (this.failed) return []
    switch (event.type) {
      case 'message_start':
        this.started = true
        this.model = event.message.model
        this.addUsage(event.message.usage)
        return []
      case 'content_block_start':
        return this.startBlock(event.index, event.content_block)
      case 'content_block_delta':
        return this.delta(event.index, event.delta)
      case 'content_block_stop':
        return this.stopBlock(event.index)
      case 'message_delta':
        this.stopReason = event.delta.stop_reason
        this.addUsage(event.usage)
        return []
      case 'message_stop':
        this.complete = true
        return []
      default:
        return []
    }
  }

  private startBlock(index: number, block: Extract<LlmStreamEvent, { type: 'content_block_start' }>['content_block']): AiStreamEvent[] {
    if (block.type === 'text') {
      const { text } = block as { text: string }
      this.blocks.set(index, { type: 'text' })
      this.outputChars += text.length
      return text ? [{ type: 'text', text }] : []
    }
    if (block.type === 'tool_use') {
      const { id, name } = block as { id: string; name: string }
      this.blocks.set(index, { type: 'tool_use', id, name, json: '' })
      return [{ type: 'tool_start', id, name }]
    }
    if (block.type === 'thinking') {
      const b = block as { thinking?: string; signature?: string }
      this.blocks.set(index, { type: 'thinking', thinking: b.thinking ?? '', signature: b.signature ?? '' })
      return []
    }
    if (block.type === 'redacted_thinking') {
      this.blocks.set(index, { type: 'redacted_thinking', data: (block as { data: string }).data })
      return []
    }
    this.blocks.set(index, { type: 'other' })
    return []
  }

  private delta(index: number, delta: Extract<LlmStreamEvent, { type: 'content_block_delta' }>['delta']): AiStreamEvent[] {
    const open = this.blocks.get(index)
    if (!open) return []
    if (delta.type === 'text_delta' && open.type === 'text') {
      const { text } = delta as { text: string }
      this.outputChars += text.length
      return text ? [{ type: 'text', text }] : []
    }
    if (delta.type === 'input_json_delta' && open.type === 'tool_use') {
      const piece = (delta as { partial_json: string }).partial_json
      open.json += piece
      this.outputChars += piece.length
      return []
    }
    if (delta.type === 'thinking_delta' && open.type === 'thinking') {
      const piece = (delta as { thinking: string }).thinking
      open.thinking += piece
      this.outputChars += piece.length
      return []
    }
    if (delta.type === 'signature_delta' && open.type === 'thinking') {
      open.signature += (delta as { signature: string }).signature
      return []
    }
    return []
  }

  private stopBlock(index: number): AiStreamEvent[] {
    const open = this.blocks.get(index)
    this.blocks.delete(index)
    if (!open) return []
    if (open.type === 'tool_use') {
      let input: unknown
      try {
        // A tool without parameters may stream no input at all.
        input = open.json.trim() === '' ? {} : JSON.parse(open.json)
      } catch {
        input = undefined
      }
      if (input === null || typeof input !== 'object' || Array.isArray(input)) {
        this.failed = true
        return [{ type: 'error', code: 'ai_upstream_error', message: `Claude sent a call of ${open.name} whose input is not a JSON object; the answer stops here.` }]
      }
      return [{ type: 'tool', id: open.id, name: open.name, input: input as Record<string, unknown> }]
    }
    if (open.type === 'thinking') return [{ type: 'thinking', block: { type: 'thinking', thinking: open.thinking, signature: open.signature } satisfies AiThinkingBlock }]
    if (open.type === 'redacted_thinking') return [{ type: 'thinking', block: { type: 'redacted_thinking', data: open.data } }]
    return []
  }

  /// `message_start` reports the input side; `message_delta` reports cumulative counts (a field it leaves out or
  /// sends as null stays as it was).
  private addUsage(u: LlmUsage) {
    const set = (key: keyof AiUsage, value: number | null | undefined) => {
      if (typeof value === 'number' && Number.isFinite(value) && value >= 0) this.usage[key] = Math.floor(value)
    }
    set('input_tokens', u.input_tokens)
    set('output_tokens', u.output_tokens)
    set('cache_read_input_tokens', u.cache_read_input_tokens)
    set('cache_creation_input_tokens', u.cache_creation_input_tokens)
  }
}
