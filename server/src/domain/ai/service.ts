import { randomUUID } from 'node:crypto'
import { AI_LIMITS } from '@slipway/shared'
import type { AiBudget, AiMessagesRequest, AiStatus, AiStreamEvent, ErrorCode } from '@slipway/shared'
import type { Logger } from '../../logger.ts'
import { LlmError } from '../../ports.ts'
import type { AiUsageRepo, Clock, LlmClient, LlmRequest, LlmStreamEvent } from '../../ports.ts'
import { DomainError } from '../errors.ts'
import { admit, budgetTokens, estimateTokens, nextUtcMidnight, utcDay } from './budget.ts'
import type { Admission } from './budget.ts'
import { modelInfo } from './models.ts'
import { buildRequest } from './prompt.ts'
import { DEFAULT_RETRY, retryDelay } from './retry.ts'
import type { RetryPolicy } from './retry.ts'
import { StreamAssembler } from './stream.ts'

export interface AiSettings {
  /// The allowlist; the first is the default.
  models: readonly string[]
  /// `max_tokens` cap.
  maxOutputTokens: number
  /// Tokens per user per UTC day (see budget.ts for how they count).
  dailyTokens: number
}

export interface AiServiceDeps {
  /// `undefined`: the server has no key and the assistant is off.
  llm: LlmClient | undefined
  usage: AiUsageRepo
  clock: Clock
  settings: AiSettings
  logger: Logger
  retry?: RetryPolicy
  /// How long a call's lease lives without renewal; renewed every third of it while the call streams. A process that
  /// dies mid-call frees the person's slot and reservation when its leases run out.
  leaseMs?: number
}

/// A call that has begun streaming: `events` starts with `start` and ends with `done` or `error`.
export interface AiTurn {
  model: string
  events: AsyncIterable<AiStreamEvent>
}

export const AI_UNAVAILABLE_REASON =
  'The AI assistant is off: this server has no ANTHROPIC_API_KEY. Whoever runs the server can set ANTHROPIC_API_KEY (an Anthropic API key) and restart it.'
export const KEY_REFUSED_MESSAGE = "The server's AI key was refused. Ask whoever runs this server to check ANTHROPIC_API_KEY."

const KEPT = 'What arrived so far is kept.'

type ErrorEvent = Extract<AiStreamEvent, { type: 'error' }>

/// The assistant's proxy: checks a request against the allowlist and the person's budget, sends it to Claude with the
/// server's system prompt and tools, retries an overload before anything streams, and turns the answer into
/// `AiStreamEvent`s, settling the tokens it used.
export class AiService {
  private readonly retry: RetryPolicy
  private readonly leaseMs: number
  /// Settlements still being written, by user. A call's `done` goes out before its settlement is written (the
  /// browser should not wait on a database write to see the answer end), so this process waits for a person's
  /// pending settlements wherever they would change an answer: an admission the database refused, and the status.
  private readonly settling = new Map<string, Set<Promise<number>>>()

  constructor(private readonly deps: AiServiceDeps) {
    this.retry = deps.retry ?? DEFAULT_RETRY
    this.leaseMs = deps.leaseMs ?? 60_000
  }

  get enabled(): boolean {
    return this.deps.llm !== undefined
  }

  async status(userId: string | undefined): Promise<AiStatus> {
    if (!this.deps.llm) return { enabled: false, reason: AI_UNAVAILABLE_REASON, models: [] }
    const status: AiStatus = { enabled: true, models: this.deps.settings.models.map(modelInfo) }
    if (userId !== undefined) {
      await this.settled(userId)
      const now = this.deps.clock.now()
      status.budget = this.budget(await this.deps.usage.used(userId, utcDay(now)), now)
    }
    return status
  }

  /// Starts a call for `userId`. Everything that can fail before the first byte fails here, as a `DomainError` (the
  /// route answers it as a JSON error); after that, failures are the stream's last event. Aborting `signal` (the
  /// browser went away) aborts the upstream call.
  async open(userId: string, body: AiMessagesRequest, signal: AbortSignal): Promise<AiTurn> {
    const { llm, settings, clock, usage } = this.deps
    if (!llm) throw new DomainError('ai_unavailable', AI_UNAVAILABLE_REASON)
    const model = body.model ?? settings.models[0]!
    if (!settings.models.includes(model)) {
      throw new DomainError('invalid_body', `The model "${model}" is not offered on this server; choose one of: ${settings.models.join(', ')}`, [
        { path: 'model', message: 'not on the allowlist' },
      ])
    }
    const partial = buildRequest(model, body.messages, body.context)
    const inputTokens = estimateTokens(Buffer.byteLength(JSON.stringify(partial)))
    const now = clock.now()
    const day = utcDay(now)
    const leaseId = randomUUID()
    const { admission, usedBefore } = await this.admit(userId, day, now, leaseId, inputTokens)
    if (!admission.ok) throw this.refusal(admission, usedBefore, now)

    const request: LlmRequest = { ...partial, max_tokens: admission.maxTokens }
    const upstream = new AbortController()
    const assembler = new StreamAssembler()
    let settled: Promise<number> | undefined
    const settle = () => (settled ??= this.track(userId, this.settle(leaseId, userId, day, assembler, usedBefore)))
    const state = { reading: false }
    const onAbort = () => {
      upstream.abort()
      // Nobody will read the events (the browser left before the first one): settle here, or the lease would hold
      // the person's slot until it runs out.
      if (!state.reading) void settle()
    }
    signal.addEventListener('abort', onAbort, { once: true })
    if (signal.aborted) upstream.abort()
    let first: { iterator: AsyncIterator<LlmStreamEvent>; event: LlmStreamEvent }
    try {
      first = await this.firstEvent(llm, request, upstream.signal, userId)
    } catch (err) {
      signal.removeEventListener('abort', onAbort)
      await settle()
      throw err
    }
    const events = this.events({ model, first, assembler, upstream, signal, leaseId, usedBefore, settle, state, done: () => signal.removeEventListener('abort', onAbort) })
    return { model, events }
  }

  /// Takes a stream slot and reserves the call's tokens. First optimistically, as if the day's budget were untouched
  /// (what nearly every call finds: one statement); refused, the repo answers the state as it stands and the call is
  /// decided on it: a smaller `max_tokens`, or a refusal.
  private async admit(userId: string, day: string, now: Date, leaseId: string, inputTokens: number): Promise<{ admission: Admission; usedBefore: number }> {
    const { settings, usage } = this.deps
    const limits = { daily: settings.dailyTokens, maxOutput: settings.maxOutputTokens, maxStreams: AI_LIMITS.maxConcurrentStreams }
    const guard = { limit: settings.dailyTokens, maxStreams: limits.maxStreams }
    const lease = { id: leaseId, expiresAt: new Date(now.getTime() + this.leaseMs) }
    let admission = admit({ used: 0, reserved: 0, streams: 0 }, inputTokens, limits)
    let waits = 0
    for (let attempt = 0; admission.ok && attempt < 2; attempt++) {
      const taken = await usage.reserve(userId, day, now, { ...lease, reserve: admission.reserve }, guard)
      if (taken.ok) return { admission, usedBefore: taken.used }
      // Refused while this person's earlier calls are still settling (the next tool round of a turn comes the moment
      // the last one's `done` arrives): their slots and reservations are about to be given back, so wait for that
      // and ask again, as if they had settled before this call came. Another of their calls may end meanwhile, so
      // this repeats, a few times at most (only `maxConcurrentStreams` calls can be ending).
      if (waits < AI_LIMITS.maxConcurrentStreams + 1 && this.settling.has(userId)) {
        waits++
        await this.settled(userId)
        attempt--
        continue
      }
      const decided = admit(taken.state, inputTokens, limits)
      // A call that fits what was just read lost a race with one that took the room first: it is refused as such.
      admission = !decided.ok || attempt === 0 ? decided : { ok: false, reason: 'reserved', left: decided.reserve, needed: decided.reserve }
      if (!admission.ok) return { admission, usedBefore: taken.state.used }
    }
    // The conversation alone is more than a whole day's budget.
    return { admission, usedBefore: await usage.used(userId, day) }
  }

  /// Calls upstream until its first event arrives, retrying overloads and rate limits by the policy.
  private async firstEvent(llm: LlmClient, request: LlmRequest, signal: AbortSignal, userId: string) {
    for (let attempt = 1; ; attempt++) {
      const iterator = llm.stream(request, signal)[Symbol.asyncIterator]()
      let err: LlmError
      try {
        const r = await iterator.next()
        if (!r.done) return { iterator, event: r.value }
        err = new LlmError('connection', 'the stream ended before its first event')
      } catch (e) {
        err = e instanceof LlmError ? e : new LlmError('connection', 'unexpected failure of the model client')
        if (!(e instanceof LlmError)) this.deps.logger.error('ai: model client failed', { err: e })
      }
      if (signal.aborted) throw new DomainError('ai_upstream_error', 'The request was cancelled')
      const delay = retryDelay(this.retry, attempt, err)
      if (delay === undefined) throw this.upstreamRefusal(err, attempt, userId, request.model)
      this.deps.logger.info('ai: retrying a model call', { failure: err.failure, status: err.info.status, attempt, delayMs: delay, requestId: err.info.requestId })
      await sleep(delay, signal)
      if (signal.aborted) throw new DomainError('ai_upstream_error', 'The request was cancelled')
    }
  }

  private async *events(o: {
    model: string
    first: { iterator: AsyncIterator<LlmStreamEvent>; event: LlmStreamEvent }
    assembler: StreamAssembler
    upstream: AbortController
    signal: AbortSignal
    leaseId: string
    usedBefore: number
    settle: () => Promise<number>
    state: { reading: boolean }
    done: () => void
  }): AsyncGenerator<AiStreamEvent> {
    const { assembler, upstream, signal } = o
    o.state.reading = true
    const renew = setInterval(() => {
      this.deps.usage.renew(o.leaseId, new Date(this.deps.clock.now().getTime() + this.leaseMs)).catch((err: unknown) => this.deps.logger.error('ai: renewing a lease failed', { err }))
    }, this.leaseMs / 3)
    renew.unref?.()
    try {
      yield { type: 'start', model: o.model }
      let failure: ErrorEvent | undefined
      let next: LlmStreamEvent | undefined = o.first.event
      while (next) {
        for (const event of assembler.push(next)) yield event
        if (assembler.failed) {
          upstream.abort()
          break
        }
        try {
          const r = await o.first.iterator.next()
          next = r.done ? undefined : r.value
        } catch (err) {
          failure = this.midStreamFailure(err)
          next = undefined
        }
      }
      // The browser went away: nobody reads on; `finally` settles what was used.
      if (signal.aborted) return
      if (!failure && !assembler.failed && !assembler.complete) {
        this.deps.logger.info('ai: the stream from Claude ended before message_stop')
        failure = { type: 'error', code: 'ai_upstream_error', message: `The answer was cut off: the stream from Claude ended early. ${KEPT}` }
      }
      // The last event goes out before the settlement is written (`finally`, when the route reads on after closing
      // the body): `done` carries the budget as it stood at admission plus this call, which is what the settlement
      // will make it unless another call of the person's settled meanwhile.
      if (failure) yield { ...failure, usage: { ...assembler.usage } }
      else if (!assembler.failed) {
        const used = o.usedBefore + charge(assembler).budget
        yield { type: 'done', stop_reason: assembler.stopReason, usage: { ...assembler.usage }, budget: this.budget(used, this.deps.clock.now()) }
      }
    } finally {
      clearInterval(renew)
      o.done()
      if (!assembler.complete) upstream.abort()
      await o.settle()
    }
  }

  private midStreamFailure(err: unknown): ErrorEvent {
    const e = err instanceof LlmError ? err : undefined
    if (!e) this.deps.logger.error('ai: model stream failed', { err })
    else this.deps.logger.info('ai: model stream failed midway', { failure: e.failure, status: e.info.status, type: e.info.type, requestId: e.info.requestId })
    const fail = (code: ErrorCode, message: string) => ({ type: 'error' as const, code, message })
    switch (e?.failure) {
      case 'overloaded':
        return fail('ai_overloaded', `Claude is overloaded and stopped mid-answer. ${KEPT} Try again in a moment.`)
      case 'rate_limited':
        return fail('ai_overloaded', `Claude's rate limit stopped the answer midway. ${KEPT} Try again in a moment.`)
      case 'connection':
      case 'timeout':
        return fail('ai_upstream_error', `The connection to Claude broke mid-answer. ${KEPT}`)
      default:
        return fail('ai_upstream_error', `Claude stopped with an error mid-answer. ${KEPT}`)
    }
  }

  /// A failure before the first byte, as the person sees it (never an upstream body). A refused key is logged for
  /// whoever runs the server, without the key.
  private upstreamRefusal(err: LlmError, attempts: number, userId: string, model: string): DomainError {
    const { status, type, requestId, retryAfterMs } = err.info
    const fields = { failure: err.failure, status, type, requestId, attempts, model, userId }
    switch (err.failure) {
      case 'auth':
        this.deps.logger.error('ai: Anthropic refused the API key (check ANTHROPIC_API_KEY)', fields)
        return new DomainError('ai_upstream_error', KEY_REFUSED_MESSAGE)
      case 'overloaded':
      case 'rate_limited': {
        this.deps.logger.info('ai: Claude stayed overloaded through the retries', fields)
        const retryAfter = Math.max(1, Math.ceil((retryAfterMs ?? 30_000) / 1000))
        const what = err.failure === 'overloaded' ? 'is overloaded' : 'is rate-limiting this server'
        return new DomainError('ai_overloaded', `Claude ${what} right now (${attempts} ${attempts === 1 ? 'try' : 'tries'}). Try again in ${retryAfter} s.`, { retryAfter })
      }
      case 'invalid_request':
        this.deps.logger.error('ai: Anthropic refused the request as built', fields)
        return new DomainError('ai_upstream_error', `Claude refused this request (HTTP ${status ?? 400}). If the conversation is very long, start a new one.`)
      case 'connection':
      case 'timeout':
        this.deps.logger.error('ai: cannot reach Anthropic', fields)
        return new DomainError('ai_upstream_error', 'The server could not reach Claude. Try again in a moment.')
      default:
        this.deps.logger.error('ai: Anthropic answered with an error', fields)
        return new DomainError('ai_upstream_error', `Claude answered with an error${status ? ` (HTTP ${status})` : ''}. Try again in a moment.`)
    }
  }

  private refusal(a: Extract<Admission, { ok: false }>, used: number, now: Date): DomainError {
    const max = AI_LIMITS.maxConcurrentStreams
    if (a.reason === 'streams') return new DomainError('rate_limited', `You already have ${max} answers streaming; wait for one to finish, or stop it.`, { retryAfter: 5 })
    if (a.reason === 'reserved') return new DomainError('rate_limited', "Your answer in progress holds the rest of today's AI budget; try again when it finishes.", { retryAfter: 5 })
    const budget = this.budget(used, now)
    const retryAfter = Math.max(1, Math.ceil((Date.parse(budget.resetsAt) - now.getTime()) / 1000))
    const wait = `It resets at 00:00 UTC, in ${retryAfter < 5400 ? `${Math.ceil(retryAfter / 60)} min` : `about ${Math.round(retryAfter / 3600)} h`}.`
    const message =
      a.left < 1024
        ? `Today's AI budget is used up (${budget.used.toLocaleString('en')} of ${budget.limit.toLocaleString('en')} tokens). ${wait}`
        : `This conversation needs about ${a.needed.toLocaleString('en')} tokens and ${a.left.toLocaleString('en')} are left of today's AI budget. Start a new conversation, or wait: ${wait}`
    return new DomainError('budget_exceeded', message, { ...budget, retryAfter })
  }

  private budget(used: number, now: Date): AiBudget {
    return { used, limit: this.deps.settings.dailyTokens, resetsAt: nextUtcMidnight(now).toISOString() }
  }

  /// Ends the lease and charges what the call used (see `charge`).
  private async settle(leaseId: string, userId: string, day: string, assembler: StreamAssembler, usedBefore: number): Promise<number> {
    const { usage: u, budget } = charge(assembler)
    try {
      return await this.deps.usage.settle(leaseId, userId, day, {
        budget,
        input: u.input_tokens,
        output: u.output_tokens,
        cacheRead: u.cache_read_input_tokens,
        cacheWrite: u.cache_creation_input_tokens,
      })
    } catch (err) {
      this.deps.logger.error('ai: settling a call failed (its lease runs out on its own)', { err, userId, budget })
      return usedBefore + budget
    }
  }

  /// Keeps `settlement` among the person's pending ones until it is written (or has failed).
  private track(userId: string, settlement: Promise<number>): Promise<number> {
    const pending = this.settling.get(userId) ?? new Set<Promise<number>>()
    this.settling.set(userId, pending)
    pending.add(settlement)
    const forget = () => {
      pending.delete(settlement)
      if (pending.size === 0 && this.settling.get(userId) === pending) this.settling.delete(userId)
    }
    settlement.then(forget, forget)
    return settlement
  }

  /// Resolves once every settlement of `userId` pending in this process now is written (or has failed).
  private async settled(userId: string): Promise<void> {
    const pending = this.settling.get(userId)
    if (pending) await Promise.allSettled([...pending])
  }
}

/// What a call is charged: its final usage; for a call that ended early, the input it reported and its output
/// estimated from what streamed; nothing for one that never started.
function charge(assembler: StreamAssembler) {
  const usage = { ...assembler.usage }
  if (!assembler.started) for (const k of Object.keys(usage) as Array<keyof typeof usage>) usage[k] = 0
  else if (!assembler.complete) usage.output_tokens = Math.max(usage.output_tokens, estimateTokens(assembler.outputChars))
  return { usage, budget: budgetTokens(usage) }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}
