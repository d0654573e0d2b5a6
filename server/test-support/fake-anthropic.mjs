// A fake Anthropic Messages API for tests, e2e and benchmarks: `POST /v1/messages` with `stream: true` answers with
// the real streaming protocol (message_start, content_block_start/delta/stop with text_delta, input_json_delta,
// thinking_delta and signature_delta, message_delta with usage and stop_reason, message_stop, ping, error events),
// and the real error shapes (HTTP 529 overloaded_error, 401 authentication_error, 429 rate_limit_error with
// retry-after, 400 invalid_request_error). The official SDK talking to it is what proves it faithful
// (server/src/adapters/anthropic.test.ts).
//
// Each request is answered by, in order: the next scripted reply queued with `enqueue()` (or `POST /_fake/script`),
// a marker in the person's last text (`[[fake:…]]`, see MARKERS), or the default reply, which echoes the question.
// A request whose last user message holds only tool results gets a short closing text, so an agent loop ends.
//
// Every request is recorded (`requests`, `GET /_fake/requests`): its body, its size, the usage the fake billed
// (with a prompt-cache simulation that honours cache_control breakpoints like the real API: a prefix written by an
// earlier request is read back, the rest up to the last breakpoint is written), whether the key matched, and whether
// the client closed the connection before the answer ended.
//
// Plain ESM JavaScript with no dependencies, so server tests, Playwright (a second webServer) and bench/ can all run it:
//   node server/test-support/fake-anthropic.mjs --port 4450 [--api-key KEY] [--delay-ms 0]
// prints `fake-anthropic listening on http://127.0.0.1:4450`.
import { createHash, randomBytes } from 'node:crypto'
import http from 'node:http'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'

/// Markers a person (or an e2e test) can type in a message. `[[fake:tool {"name":…,"input":{…}}]]` calls that tool.
export const MARKERS = {
  text: '[[fake:text]]', // a longer answer in many small deltas
  slow: '[[fake:slow]]', // a long answer, one delta every 50 ms (for Stop)
  tool: '[[fake:tool {json}]]', // one tool call whose input JSON arrives split across deltas
  thinking: '[[fake:thinking]]', // a thinking block, then text
  overloaded: '[[fake:529]]', // HTTP 529 once, then the default reply
  overloadedForever: '[[fake:529forever]]', // HTTP 529 on every attempt
  rateLimited: '[[fake:429]]', // HTTP 429 with retry-after: 1, once
  unauthorized: '[[fake:401]]', // HTTP 401 authentication_error
  cut: '[[fake:cut]]', // a few deltas, then the connection is destroyed
  errorEvent: '[[fake:error]]', // a few deltas, then an `event: error` (overloaded_error)
  badToolJson: '[[fake:badjson]]', // a tool call whose input JSON is broken
}

const CHARS_PER_TOKEN = 4
const tokensOf = (value) => Math.ceil(Buffer.byteLength(typeof value === 'string' ? value : JSON.stringify(value)) / CHARS_PER_TOKEN)
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const id = (prefix) => `${prefix}_${randomBytes(12).toString('base64url')}`

/// Starts the fake. `apiKey`: when set, any other key (`x-api-key`, or `Authorization: Bearer`) gets 401. `delayMs`: default pause between events.
export async function startFakeAnthropic({ port = 0, host = '127.0.0.1', apiKey, delayMs = 0 } = {}) {
  const queue = []
  const requests = []
  /// Prefix hashes written to the simulated prompt cache (by breakpoint), and how many tokens each prefix holds.
  const cache = new Map()
  const sockets = new Set()

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) sendError(res, 500, 'api_error', `fake-anthropic: ${err instanceof Error ? err.message : String(err)}`)
      else res.destroy()
    })
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  // Long streams and many of them (bench: 50 at once).
  server.keepAliveTimeout = 60_000
  server.headersTimeout = 65_000

  async function handle(req, res) {
    const url = new URL(req.url ?? '/', 'http://fake')
    if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/_fake/health')) return sendJson(res, 200, { ok: true })
    if (req.method === 'GET' && url.pathname === '/_fake/requests') return sendJson(res, 200, { requests: requests.map(publicRecord) })
    if (req.method === 'POST' && url.pathname === '/_fake/reset') {
      reset()
      return sendJson(res, 200, { ok: true })
    }
    if (req.method === 'POST' && url.pathname === '/_fake/script') {
      const body = JSON.parse((await readBody(req)).toString('utf8') || '{}')
      enqueue(...(Array.isArray(body.replies) ? body.replies : [body]))
      return sendJson(res, 200, { queued: queue.length })
    }
    if (req.method !== 'POST' || url.pathname !== '/v1/messages') return sendError(res, 404, 'not_found_error', `No route ${req.method} ${url.pathname}`)

    const raw = await readBody(req)
    // The SDK sends the key as `Authorization: Bearer …` (1.x); older clients as `x-api-key`.
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1]
    const key = req.headers['x-api-key'] ?? bearer
    const record = {
      n: requests.length + 1,
      receivedAt: Date.now(),
      bytes: raw.length,
      apiKey: key,
      keyAccepted: apiKey === undefined || key === apiKey,
      anthropicVersion: req.headers['anthropic-version'],
      body: undefined,
      status: 0,
      usage: undefined,
      reply: undefined,
      completed: false,
      closedByClient: false,
      cutByFake: false,
    }
    requests.push(record)
    res.on('close', () => {
      if (!res.writableFinished) record.closedByClient = !record.cutByFake
    })
    const fail = (status, type, message, headers) => {
      record.status = status
      sendError(res, status, type, message, headers)
    }
    if (!record.keyAccepted) return fail(401, 'authentication_error', key ? 'invalid x-api-key' : 'x-api-key header is required')
    if (!record.anthropicVersion) return fail(400, 'invalid_request_error', 'anthropic-version: header is required')
    let body
    try {
      body = JSON.parse(raw.toString('utf8'))
    } catch {
      return fail(400, 'invalid_request_error', 'Request body is not valid JSON')
    }
    record.body = body
    const problem = validate(body)
    if (problem) return fail(400, 'invalid_request_error', problem)

    const reply = nextReply(body)
    record.reply = reply.name
    if (reply.status) {
      const headers = reply.retryAfter !== undefined ? { 'retry-after': String(reply.retryAfter) } : {}
      const type = { 401: 'authentication_error', 429: 'rate_limit_error', 529: 'overloaded_error', 400: 'invalid_request_error' }[reply.status] ?? 'api_error'
      const message = { 401: 'invalid x-api-key', 429: 'Number of request tokens has exceeded your rate limit', 529: 'Overloaded' }[reply.status] ?? 'Internal server error'
      return fail(reply.status, type, message, headers)
    }
    if (!body.stream) return fail(400, 'invalid_request_error', 'fake-anthropic answers only stream: true requests')

    const usage = bill(body)
    record.usage = { ...usage }
    record.status = 200
    await stream(res, body, reply, usage, record)
  }

  /// The simulated prompt cache: hashes of the prompt prefix at every block boundary; a prefix written by an earlier
  /// request at one of its breakpoints is read back, the rest up to this request's last breakpoint is written.
  function bill(body) {
    const segments = []
    for (const tool of body.tools ?? []) segments.push({ value: { tool: { ...tool, cache_control: undefined } }, marked: !!tool.cache_control })
    const system = typeof body.system === 'string' ? [{ type: 'text', text: body.system }] : (body.system ?? [])
    for (const block of system) segments.push({ value: { system: { ...block, cache_control: undefined } }, marked: !!block.cache_control })
    body.messages.forEach((m, i) => {
      const content = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content
      content.forEach((block, j) => segments.push({ value: { message: i, role: m.role, j, block: { ...block, cache_control: undefined } }, marked: !!block.cache_control }))
    })
    const hash = createHash('sha256').update(String(body.model))
    let tokens = 0
    const boundaries = segments.map((s) => {
      hash.update(JSON.stringify(s.value))
      tokens += tokensOf(s.value)
      return { key: hash.copy().digest('hex'), tokens, marked: s.marked }
    })
    const total = tokens
    let lastMark = -1
    boundaries.forEach((b, i) => (b.marked ? (lastMark = i) : 0))
    let read = 0
    // The real API looks back up to 20 blocks before each breakpoint for an earlier entry; the fake looks at them all.
    for (let i = lastMark; i >= 0; i--) {
      if (cache.has(boundaries[i].key)) {
        read = boundaries[i].tokens
        break
      }
    }
    const written = lastMark >= 0 ? Math.max(0, boundaries[lastMark].tokens - read) : 0
    for (const b of boundaries) if (b.marked) cache.set(b.key, b.tokens)
    return { input_tokens: total - read - written, cache_read_input_tokens: read, cache_creation_input_tokens: written, output_tokens: 0 }
  }

  function nextReply(body) {
    if (queue.length) return { name: 'scripted', ...queue.shift() }
    const last = body.messages[body.messages.length - 1]
    const content = typeof last.content === 'string' ? [{ type: 'text', text: last.content }] : last.content
    const text = content.filter((b) => b.type === 'text').map((b) => b.text).join('\n')
    if (!text) return { name: 'after-tools', blocks: [{ type: 'text', text: 'Done: the tool results are in.' }] }
    return fromMarker(text, body) ?? { name: 'echo', blocks: [{ type: 'text', text: `You said: ${lastLine(text).slice(0, 200)}` }] }
  }

  /// Per-conversation memory for markers that fail once (529, 429): the retry of the same request then succeeds.
  const failedOnce = new Set()
  function fromMarker(text, body) {
    const once = (marker, reply) => {
      const key = `${marker}:${createHash('sha256').update(JSON.stringify(body.messages)).digest('hex')}`
      if (failedOnce.has(key)) return undefined
      failedOnce.add(key)
      return reply
    }
    const tool = /\[\[fake:tool (\{.*?\})\]\]/s.exec(text)
    if (tool) {
      const call = JSON.parse(tool[1])
      return { name: 'tool', blocks: [{ type: 'text', text: `I'll use ${call.name}.` }, { type: 'tool_use', name: call.name, input: call.input ?? {} }] }
    }
    if (text.includes(MARKERS.overloadedForever)) return { name: '529forever', status: 529 }
    if (text.includes(MARKERS.overloaded)) return once('529', { name: '529', status: 529 }) ?? { name: 'echo', blocks: [{ type: 'text', text: 'Answered after an overload.' }] }
    if (text.includes(MARKERS.rateLimited)) return once('429', { name: '429', status: 429, retryAfter: 1 }) ?? { name: 'echo', blocks: [{ type: 'text', text: 'Answered after a rate limit.' }] }
    if (text.includes(MARKERS.unauthorized)) return { name: '401', status: 401 }
    if (text.includes(MARKERS.slow)) return { name: 'slow', delayMs: 50, blocks: [{ type: 'text', text: LOREM.repeat(4), chunk: 6 }] }
    if (text.includes(MARKERS.text)) return { name: 'text', blocks: [{ type: 'text', text: LOREM, chunk: 5 }] }
    if (text.includes(MARKERS.thinking)) return { name: 'thinking', blocks: [{ type: 'thinking', thinking: 'Let me look.', signature: 'fake-signature' }, { type: 'text', text: 'Thought about it.' }] }
    if (text.includes(MARKERS.cut)) return { name: 'cut', blocks: [{ type: 'text', text: 'This answer will be cut off midway through', chunk: 5 }], cutAfterDeltas: 4 }
    if (text.includes(MARKERS.errorEvent)) return { name: 'error', blocks: [{ type: 'text', text: 'This answer meets an error event', chunk: 5 }], errorAfterDeltas: 3 }
    if (text.includes(MARKERS.badToolJson)) return { name: 'badjson', blocks: [{ type: 'tool_use', name: 'read_file', json: '{"path": "src/ma' }] }
    return undefined
  }

  /// Writes the reply as the streaming protocol. Reply fields: `blocks` (`{type:'text', text, chunk?}`,
  /// `{type:'tool_use', name, input | json, id?, chunk?}`, `{type:'thinking', thinking, signature}`,
  /// `{type:'redacted_thinking', data}`), `stopReason`, `usage` (overrides), `delayMs`, `firstByteDelayMs`,
  /// `cutAfterDeltas` (destroy the connection), `errorAfterDeltas` (send `event: error` and end), `endWithoutStop`,
  /// `hold` (keep the stream open, pinging, until the client leaves).
  async function stream(res, body, reply, usage, record) {
    const pause = reply.delayMs ?? delayMs
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': id('req') })
    const send = async (event, data, wait = true) => {
      if (res.destroyed) return false
      res.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`)
      if (wait && pause > 0) await sleep(pause)
      return !res.destroyed
    }
    if (reply.firstByteDelayMs) await sleep(reply.firstByteDelayMs)
    const finalUsage = { ...usage, ...reply.usage }
    const message = {
      id: id('msg'),
      type: 'message',
      role: 'assistant',
      model: body.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...finalUsage, output_tokens: 1 },
    }
    if (!(await send('message_start', { message }))) return
    await send('ping', {})
    let deltas = 0
    let output = 0
    const blocks = reply.blocks ?? [{ type: 'text', text: 'OK' }]
    for (const [index, block] of blocks.entries()) {
      const pieces = []
      let start
      if (block.type === 'text') {
        start = { type: 'text', text: '' }
        for (const part of split(block.text, block.chunk ?? 12)) pieces.push({ type: 'text_delta', text: part })
      } else if (block.type === 'tool_use') {
        start = { type: 'tool_use', id: block.id ?? id('toolu'), name: block.name, input: {} }
        const json = block.json ?? JSON.stringify(block.input ?? {})
        for (const part of split(json, block.chunk ?? 7)) pieces.push({ type: 'input_json_delta', partial_json: part })
      } else if (block.type === 'thinking') {
        start = { type: 'thinking', thinking: '', signature: '' }
        for (const part of split(block.thinking ?? '', 10)) pieces.push({ type: 'thinking_delta', thinking: part })
        pieces.push({ type: 'signature_delta', signature: block.signature ?? 'fake-signature' })
      } else if (block.type === 'redacted_thinking') {
        start = { type: 'redacted_thinking', data: block.data ?? 'fake-redacted' }
      } else throw new Error(`unknown scripted block type ${block.type}`)
      if (!(await send('content_block_start', { index, content_block: start }))) return
      for (const delta of pieces) {
        if (reply.cutAfterDeltas !== undefined && deltas >= reply.cutAfterDeltas) {
          record.cutByFake = true
          // Let what was written reach the client first, as a real connection that breaks midway would.
          await new Promise((resolve) => res.write('', () => resolve(undefined)))
          await sleep(5)
          res.socket?.destroy()
          return
        }
        if (reply.errorAfterDeltas !== undefined && deltas >= reply.errorAfterDeltas) {
          res.end(`event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })}\n\n`)
          return
        }
        if (!(await send('content_block_delta', { index, delta }))) return
        deltas++
        output += tokensOf(delta.text ?? delta.partial_json ?? delta.thinking ?? '')
      }
      if (!(await send('content_block_stop', { index }))) return
    }
    if (reply.hold) {
      while (!res.destroyed) {
        await sleep(200)
        await send('ping', {}, false)
      }
      return
    }
    const stopReason = reply.stopReason ?? (blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn')
    finalUsage.output_tokens = reply.usage?.output_tokens ?? Math.max(1, output)
    record.usage = { ...finalUsage }
    if (!(await send('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: finalUsage }))) return
    if (reply.endWithoutStop) {
      res.end()
      return
    }
    await send('message_stop', {}, false)
    record.completed = true
    res.end()
  }

  function enqueue(...replies) {
    queue.push(...replies)
  }

  function reset() {
    queue.length = 0
    requests.length = 0
    cache.clear()
    failedOnce.clear()
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve(undefined))
  })
  const address = server.address()
  const url = `http://${host}:${address.port}`
  return {
    url,
    port: address.port,
    requests,
    enqueue,
    reset,
    /// Resolves with the request record once `n` requests have been received (and, with `settled`, have ended).
    async waitForRequests(n, { timeoutMs = 5000 } = {}) {
      const until = Date.now() + timeoutMs
      while (requests.length < n) {
        if (Date.now() > until) throw new Error(`fake-anthropic: ${requests.length} requests, expected ${n}`)
        await sleep(5)
      }
      return requests[n - 1]
    },
    close() {
      for (const s of sockets) s.destroy()
      return new Promise((resolve) => server.close(() => resolve(undefined)))
    },
  }
}

/// The checks of the real API that a proxy could trip over.
function validate(body) {
  if (typeof body.model !== 'string' || !body.model) return 'model: Field required'
  if (!Number.isInteger(body.max_tokens) || body.max_tokens < 1) return 'max_tokens: Field required (a positive integer)'
  if (!Array.isArray(body.messages) || body.messages.length === 0) return 'messages: at least one message is required'
  if (body.messages[0].role !== 'user') return 'messages.0.role: the first message must use the "user" role'
  if (body.messages[body.messages.length - 1].role !== 'user') return 'This model does not support assistant message prefill. The conversation must end with a user message.'
  let marks = 0
  const count = (b) => (b && b.cache_control ? marks++ : 0)
  for (const t of body.tools ?? []) count(t)
  if (Array.isArray(body.system)) for (const b of body.system) count(b)
  const toolIds = new Set()
  for (const [i, m] of body.messages.entries()) {
    if (m.role !== 'user' && m.role !== 'assistant') return `messages.${i}.role: Input should be 'user' or 'assistant'`
    if (typeof m.content === 'string') continue
    for (const [j, b] of m.content.entries()) {
      count(b)
      if (b.type === 'tool_result' && j > 0 && m.content[j - 1].type !== 'tool_result')
        return `messages.${i}: tool_result blocks must come first in the user message content, before any other block`
      if (b.type === 'tool_use') toolIds.add(b.id)
      if (b.type === 'tool_result' && !toolIds.has(b.tool_use_id)) return `messages.${i}.content.${j}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${b.tool_use_id}`
      if (b.type === 'text' && typeof b.text !== 'string') return `messages.${i}.content.${j}.text: Field required`
    }
  }
  if (marks > 4) return `A maximum of 4 blocks with cache_control may be provided. Found ${marks}.`
  return undefined
}

function split(text, size) {
  const out = []
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size))
  return out.length ? out : ['']
}

const lastLine = (text) => text.trim().split('\n').filter(Boolean).pop() ?? ''

function sendJson(res, status, value) {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(value))
}

function sendError(res, status, type, message, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req'), ...headers })
  res.end(JSON.stringify({ type: 'error', error: { type, message }, request_id: id('req') }))
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/// A record as `GET /_fake/requests` shows it: no key, only whether it matched.
function publicRecord({ apiKey: _key, ...rest }) {
  return rest
}

const LOREM =
  'Slipway streams this answer in small pieces so the panel can show it as it arrives. Each piece is a text delta of the Messages API, and the proxy passes it on as a text event. '

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '4450' }, host: { type: 'string', default: '127.0.0.1' }, 'api-key': { type: 'string' }, 'delay-ms': { type: 'string', default: '0' } },
  })
  const fake = await startFakeAnthropic({ port: Number(values.port), host: values.host, apiKey: values['api-key'], delayMs: Number(values['delay-ms']) })
  process.stdout.write(`fake-anthropic listening on ${fake.url}\n`)
  const stop = () => fake.close().then(() => process.exit(0))
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}
