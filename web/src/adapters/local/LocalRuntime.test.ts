import { LocalRuntimeRequestSchema, type LocalRuntimeRequest, type LocalRuntimeServerMessage } from '@slipway/shared'
import { afterAll, beforeAll, describe, expect, expectTypeOf, test } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import type { BootResult, Runtime } from '../../core/runtime/index.ts'
import { agentForSuite } from '../../test/localAgent.ts'
import { freePort, recordOutput } from '../../test/probes.ts'
import { runtimeContract } from '../../test/runtime.contract.ts'
import { HANGUP_EXIT_CODE, LocalRuntime } from './LocalRuntime.ts'
import type { WebSocketConstructor } from './LocalRuntimeConnection.ts'
import { LocalRuntimeError } from './LocalRuntimeError.ts'

const agent = agentForSuite()
let projects = 0

function connect(overrides: Partial<Parameters<typeof LocalRuntime.connect>[0]> = {}): Promise<BootResult> {
  return LocalRuntime.connect({ url: agent().url, project: `p${++projects}`, WebSocket, ...overrides })
}

async function connected(overrides: Partial<Parameters<typeof LocalRuntime.connect>[0]> = {}): Promise<Runtime> {
  const result = await connect(overrides)
  if (!result.ok) throw new Error(`connect failed: ${result.failure.reason}: ${result.failure.message}`)
  return result.runtime
}

runtimeContract('LocalRuntime against the local runtime agent', async () => {
  const runtime = await connected()
  return { runtime, cleanup: () => runtime.teardown() }
})

describe('LocalRuntime.connect', () => {
  test('the page WebSocket and ws both fit the injected constructor', () => {
    expectTypeOf(WebSocket).toExtend<WebSocketConstructor>()
    expectTypeOf<typeof globalThis.WebSocket>().toExtend<WebSocketConstructor>()
  })

  test('a wrong token is unauthorized, and the message does not echo the token', async () => {
    const url = agent().url.replace(/token=[^&]+/, 'token=wrong-token-123456')
    const result = await connect({ url })
    expect(result).toMatchObject({ ok: false, failure: { reason: 'unauthorized' } })
    if (!result.ok) expect(result.failure.message).not.toContain('wrong-token')
  })

  test('a page origin the agent does not allow is unauthorized', async () => {
    class FromElsewhere extends WebSocket {
      constructor(url: string) {
        super(url, { origin: 'http://evil.example' })
      }
    }
    const result = await connect({ WebSocket: FromElsewhere })
    expect(result).toMatchObject({
      ok: false,
      failure: { reason: 'unauthorized', message: expect.stringMatching(/origin/) },
    })
  })

  test('nothing listening is a network failure that says how to start the agent', async () => {
    const result = await connect({ url: `ws://127.0.0.1:${await freePort()}/runtime?token=x` })
    expect(result).toMatchObject({
      ok: false,
      failure: { reason: 'network', message: expect.stringMatching(/Start it/) },
    })
  })

  test.each(['http://127.0.0.1:1/runtime', 'ws://127.0.0.1:1/elsewhere', 'not a url'])('%j is refused', async (url) => {
    expect(await connect({ url })).toMatchObject({ ok: false, failure: { reason: 'unknown' } })
  })

  test('a project name the agent refuses fails the connect', async () => {
    const result = await connect({ project: '../escape' })
    expect(result).toMatchObject({
      ok: false,
      failure: { reason: 'unknown', message: expect.stringMatching(/bad_request/) },
    })
  })
})

describe('LocalRuntime against the agent', () => {
  test('agent errors become errors naming the operation, path, code and errno', async () => {
    const runtime = await connected()
    const error = await runtime.fs.readFile('nope/missing.txt').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(LocalRuntimeError)
    expect(error).toMatchObject({ code: 'fs_error', errno: 'ENOENT', path: 'nope/missing.txt' })
    expect((error as Error).message).toMatch(/^readFile "nope\/missing.txt" failed: fs_error ENOENT: /)
    await expect(runtime.fs.readFile('../outside.txt')).rejects.toThrow(/path_refused/)
    await runtime.teardown()
  })

  test("shell() starts the user's $SHELL as a login shell", async () => {
    const runtime = await connected()
    const { command, args } = runtime.shell()
    const shell = await runtime.spawn(command, args, { terminal: { cols: 80, rows: 24 }, env: { SHELL: '/bin/bash' } })
    const output = recordOutput(shell.output)
    const input = shell.input.getWriter()
    await input.write('shopt -q login_shell && echo "login:$0"; exit 0\n')
    await output.waitFor(/login:\/bin\/bash/)
    expect(await shell.exit).toBe(0)
    await runtime.teardown()
  })

  test('two connections to one project work in folders of their own; the project folder is reused', async () => {
    // Each IDE client imports what is written in its folder as its own edit: a shared folder multiplies edits
    // (issue 16). The docs meet through sync instead.
    const project = `shared${++projects}`
    const first = await connected({ project })
    const second = await connected({ project })
    await first.fs.writeFile('note.txt', 'from the first tab')
    await expect(second.fs.readFile('note.txt', 'utf-8')).rejects.toMatchObject({ errno: 'ENOENT' })
    await first.teardown()
    await new Promise((resolve) => setTimeout(resolve, 100))
    const third = await connected({ project })
    expect(await third.fs.readFile('note.txt', 'utf-8')).toBe('from the first tab')
    await Promise.all([second.teardown(), third.teardown()])
  })
})

/// An in-process stand-in for the agent: answers `open` and `teardown`, and does what each test scripts for the rest.
async function scriptedAgent(
  onRequest: (request: LocalRuntimeRequest, send: (message: unknown) => void, socket: WebSocket) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/runtime' })
  await new Promise((resolve) => server.once('listening', resolve))
  server.on('connection', (socket) => {
    const send = (message: unknown) => socket.send(typeof message === 'string' ? message : JSON.stringify(message))
    socket.on('message', (data) => {
      const request = LocalRuntimeRequestSchema.parse(JSON.parse(String(data)))
      onRequest(request, send, socket)
      if (request.type === 'open') send(ok(request.id, { root: '/tmp/p' }))
      if (request.type === 'teardown') send(ok(request.id))
    })
  })
  const { port } = server.address() as { port: number }
  return {
    url: `ws://127.0.0.1:${port}/runtime?token=t`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

function ok(id: number, result: unknown = null): LocalRuntimeServerMessage {
  return { type: 'response', id, ok: true, result }
}

describe('LocalRuntime when the agent misbehaves', () => {
  test('losing the connection rejects pending requests, ends every process and reports an error', async () => {
    let drop = () => {}
    const fake = await scriptedAgent((request, send, socket) => {
      if (request.type === 'spawn') {
        send(ok(request.id, { pid: 42 }))
        send({ type: 'output', pid: 42, data: 'started\n' })
      }
      if (request.type === 'readFile') drop = () => socket.terminate()
    })
    const runtime = await connected({ url: fake.url })
    const errors: string[] = []
    runtime.on('error', ({ message }) => errors.push(message))
    const process = await runtime.spawn('server', [])
    const output = recordOutput(process.output)
    await output.waitFor(/started/)
    const read = runtime.fs.readFile('a.txt', 'utf-8')
    await new Promise((resolve) => setTimeout(resolve, 50))
    drop()

    await expect(read).rejects.toMatchObject({ code: 'disconnected' })
    expect(await process.exit).toBe(HANGUP_EXIT_CODE)
    await output.ended
    expect(errors).toEqual([expect.stringMatching(/Lost the connection to the local runtime/)])
    await expect(runtime.spawn('node', [])).rejects.toMatchObject({ code: 'disconnected' })
    await runtime.teardown()
    await fake.close()
  })

  test('invalid frames are ignored and reported; the connection keeps working', async () => {
    const fake = await scriptedAgent((request, send) => {
      if (request.type !== 'readFile') return
      send('not json')
      send({ type: 'output', pid: 'one', data: 1 })
      send({ type: 'response', id: request.id, ok: true, result: { data: 42 } })
      send({ type: 'response', id: -1, ok: false, error: { code: 'bad_request', message: 'frame is not JSON' } })
    })
    const runtime = await connected({ url: fake.url })
    const errors: string[] = []
    runtime.on('error', ({ message }) => errors.push(message))
    await expect(runtime.fs.readFile('a.txt', 'utf-8')).rejects.toMatchObject({ code: 'invalid_response' })
    expect(errors).toEqual([
      expect.stringMatching(/^Ignored a frame that is not JSON/),
      expect.stringMatching(/^Ignored an invalid frame/),
      expect.stringMatching(/^Ignored an error for request -1: frame is not JSON/),
    ])
    await runtime.teardown()
    await fake.close()
  })

  test('a request the agent never answers times out', async () => {
    const fake = await scriptedAgent(() => {})
    const runtime = await connected({ url: fake.url, requestTimeoutMs: 100 })
    await expect(runtime.fs.readdir('.')).rejects.toThrow(/readdir "." failed: timeout/)
    await runtime.teardown()
    await fake.close()
  })

  test('teardown sends teardown, then closes; processes the agent did not report end anyway', async () => {
    const seen: string[] = []
    const fake = await scriptedAgent((request, send) => {
      seen.push(request.type)
      if (request.type === 'spawn') send(ok(request.id, { pid: 7 }))
    })
    const runtime = await connected({ url: fake.url })
    const process = await runtime.spawn('sleep', ['100'])
    await runtime.teardown()
    expect(seen).toEqual(['open', 'spawn', 'teardown'])
    expect(await process.exit).toBe(HANGUP_EXIT_CODE)
    await fake.close()
  })
})
