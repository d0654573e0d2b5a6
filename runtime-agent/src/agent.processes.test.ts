import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LocalRuntimeResultSchemas } from '@slipway/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAgent, type RunningAgent } from './agent.ts'
import { alive, portFree, TestClient } from './test-client.ts'

let dataDir: string
let agent: RunningAgent
let client: TestClient

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'slipway-runtime-processes-'))
  agent = await startAgent({ port: 0, dataDir })
  client = await TestClient.connect(agent.url)
  await client.ok({ type: 'open', project: 'procs' })
})

afterAll(async () => {
  expect(client.invalid).toEqual([])
  await client.close()
  await agent.close()
  await rm(dataDir, { recursive: true, force: true })
})

async function spawn(body: Record<string, unknown>): Promise<number> {
  return LocalRuntimeResultSchemas.spawn.parse(await client.ok({ type: 'spawn', args: [], ...body })).pid
}

const node = (script: string, extra: Record<string, unknown> = {}) => spawn({ command: process.execPath, args: ['-e', script], ...extra })

describe('processes', () => {
  it('streams output as it arrives, before the process exits', async () => {
    const pid = await node("process.stdout.write('first\\n'); setTimeout(() => process.stdout.write('second\\n'), 1000)")
    const first = await client.waitFor((e) => e.type === 'output' && e.pid === pid)
    const firstAt = Date.now()
    expect(first).toMatchObject({ data: 'first\n' })
    expect(client.events.some((e) => e.type === 'exit' && e.pid === pid)).toBe(false)
    expect(await client.exit(pid)).toBe(0)
    expect(Date.now() - firstAt).toBeGreaterThan(700)
    expect(client.output(pid)).toBe('first\nsecond\n')
  })

  it('reports exit codes, and 128 + signal for a signal', async () => {
    expect(await client.exit(await node('process.exit(0)'))).toBe(0)
    expect(await client.exit(await node('process.exit(3)'))).toBe(3)
    expect(await client.exit(await node("process.kill(process.pid, 'SIGKILL')"))).toBe(137)
  })

  it('carries stderr, stdin, env and cwd', async () => {
    await client.ok({ type: 'mkdir', path: 'sub', recursive: true })
    const pid = await node(
      "process.stderr.write('err:' + process.env.SLIPWAY_X + ':' + require('path').basename(process.cwd()) + ':' + process.env.TERM + '\\n'); process.stdin.pipe(process.stdout)",
      { cwd: 'sub', env: { SLIPWAY_X: 'yes' } },
    )
    await client.waitFor((e) => e.type === 'output' && e.pid === pid && e.data.includes('err:'))
    await client.ok({ type: 'input', pid, data: 'echoed\n' })
    await client.waitFor((e) => e.type === 'output' && e.pid === pid && e.data.includes('echoed'))
    expect(client.output(pid)).toContain('err:yes:sub:xterm-256color')
    await client.ok({ type: 'kill', pid })
    expect(await client.exit(pid)).toBe(143)
  })

  it('decodes UTF-8 split across chunks', async () => {
    const pid = await node(
      "const b = Buffer.from('é✓😀'); let i = 0; const t = setInterval(() => { process.stdout.write(b.subarray(i, i + 1)); if (++i === b.length) clearInterval(t) }, 5)",
    )
    expect(await client.exit(pid)).toBe(0)
    expect(client.output(pid)).toBe('é✓😀')
  })

  it('fails to spawn a missing command without a terminal', async () => {
    const response = await client.request({ type: 'spawn', command: 'slipway-no-such-command', args: [] })
    expect(response).toMatchObject({ ok: false, error: { code: 'spawn_failed', errno: 'ENOENT' } })
  })

  it('answers no_such_process for unknown pids', async () => {
    for (const type of ['kill', 'input', 'resize']) {
      const response = await client.request({ type, pid: 999_999, data: 'x', cols: 10, rows: 10 } as never)
      expect(response).toMatchObject({ ok: false })
    }
    expect(await client.request({ type: 'kill', pid: 999_999 })).toMatchObject({ ok: false, error: { code: 'no_such_process' } })
    expect(await client.request({ type: 'input', pid: 999_999, data: 'x' })).toMatchObject({ ok: false, error: { code: 'no_such_process' } })
  })

  it('kills a long-running server with everything it started, and frees its port', async () => {
    const script = "const s = require('http').createServer((q, r) => r.end('x')).listen(0, '127.0.0.1', () => console.log('PORT=' + s.address().port + ' PID=' + process.pid))"
    const pid = await spawn({ command: 'sh', args: ['-c', `"$0" -e "$1" & wait`, process.execPath, script] })
    await client.waitFor((e) => e.type === 'output' && e.pid === pid && /PID=\d+/.test(client.output(pid)))
    const [, port, server] = /PORT=(\d+) PID=(\d+)/.exec(client.output(pid))!.map(Number)
    expect(await portFree(port!)).toBe(false)
    await client.ok({ type: 'kill', pid })
    expect(alive(pid)).toBe(false)
    expect(alive(server!)).toBe(false)
    expect(await portFree(port!)).toBe(true)
  })

  it('runs a real terminal whose size follows resize', async () => {
    const pid = await spawn({ command: 'bash', args: ['--noprofile', '--norc', '-i'], terminal: { cols: 80, rows: 24 }, env: { PS1: '$ ' } })
    await client.ok({ type: 'input', pid, data: 'tput cols; tty\n' })
    await client.waitFor((e) => e.type === 'output' && e.pid === pid && /\b80\b/.test(client.output(pid)) && client.output(pid).includes('/dev/pts/'))
    await client.ok({ type: 'resize', pid, cols: 133, rows: 40 })
    await client.ok({ type: 'input', pid, data: 'tput cols\n' })
    await client.waitFor((e) => e.type === 'output' && e.pid === pid && /\b133\b/.test(client.output(pid)))
    await client.ok({ type: 'input', pid, data: 'exit 5\n' })
    expect(await client.exit(pid)).toBe(5)
  })

  it('gives a missing command under a terminal the shell behaviour', async () => {
    const pid = await spawn({ command: 'slipway-no-such-command', terminal: { cols: 80, rows: 24 } })
    expect(await client.exit(pid)).toBe(127)
    expect(client.output(pid)).toMatch(/not found/)
  })

  it('kills a terminal shell and the jobs it started', async () => {
    const pid = await spawn({ command: 'bash', args: ['--noprofile', '--norc', '-i'], terminal: { cols: 80, rows: 24 } })
    await client.ok({ type: 'input', pid, data: `${JSON.stringify(process.execPath)} -e "console.log('JOB=' + process.pid); setInterval(() => {}, 1000)" &\n` })
    await client.waitFor((e) => e.type === 'output' && e.pid === pid && /JOB=\d+/.test(client.output(pid)))
    const job = Number(/JOB=(\d+)/.exec(client.output(pid))![1])
    expect(alive(job)).toBe(true)
    const started = Date.now()
    await client.ok({ type: 'kill', pid })
    expect(alive(pid)).toBe(false)
    expect(alive(job)).toBe(false)
    expect(Date.now() - started).toBeLessThan(1500)
  })

  it('stops reading a flood of output while the client does not read, and resumes after', async () => {
    const flood = await TestClient.connect(agent.url)
    // A second connection to the project: it works in a folder of its own (folders.ts).
    const { root } = LocalRuntimeResultSchemas.open.parse(await flood.ok({ type: 'open', project: 'procs' }))
    const script =
      "const fs = require('fs'); const chunk = 'x'.repeat(65536); let n = 0; const go = () => { while (process.stdout.write(chunk)) fs.writeFileSync('progress', String(++n)); fs.writeFileSync('progress', String(++n)); process.stdout.once('drain', go) }; go()"
    const { pid } = LocalRuntimeResultSchemas.spawn.parse(await flood.ok({ type: 'spawn', command: process.execPath, args: ['-e', script] }))
    await flood.waitFor((e) => e.type === 'output' && e.pid === pid)
    const socket = (flood.ws as unknown as { _socket: import('node:net').Socket })._socket
    socket.pause()
    const progress = async (): Promise<number> => {
      // The writer truncates then writes; an empty read caught it in between.
      const text = await readFile(join(root, 'progress'), 'utf8').catch(() => '0')
      return text === '' ? progress() : Number(text)
    }
    // Blocked: pipe buffers, the agent's 8 MiB high-water mark and socket buffers hold a bounded amount.
    let stalled = -1
    for (let tries = 0, now = await progress(); now !== stalled && tries < 10; tries++) {
      stalled = now
      await new Promise((r) => setTimeout(r, 500))
      now = await progress()
    }
    expect(await progress()).toBe(stalled)
    expect(stalled * 64).toBeLessThan(64 * 1024)
    socket.resume()
    const deadline = Date.now() + 5000
    let resumed = stalled
    while (resumed <= stalled + 16 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50))
      resumed = await progress()
    }
    expect(resumed).toBeGreaterThan(stalled + 16)
    await flood.close()
  })
})
