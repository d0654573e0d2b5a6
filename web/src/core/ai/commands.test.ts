import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { spawnProcess } from '../../test/fakeProcess.ts'
import type { Runtime } from '../runtime/index.ts'
import { Terminals } from '../terminal/Terminals.ts'
import { OutputCapture, TerminalCommands } from './commands.ts'

const workdir = mkdtempSync(join(tmpdir(), 'slipway-ai-commands-'))
afterAll(() => rmSync(workdir, { recursive: true, force: true }))

/// A runtime that runs real processes on real pseudo-terminals in a temporary folder.
const runtime = {
  kind: 'local',
  spawn: async (command: string, args: string[] = [], options = {}) => (await spawnProcess(command, args, { ...options, workdir, onExit: () => {} })).process,
  shell: () => ({ command: 'sh', args: [] }),
} as unknown as Runtime

function setup(maxOutputBytes?: number) {
  const terminals = new Terminals(() => runtime)
  const flushed: string[] = []
  const commands = new TerminalCommands({
    terminals,
    runtime: async () => runtime,
    flush: async () => void flushed.push('flush'),
    ...(maxOutputBytes ? { maxOutputBytes } : {}),
  })
  return { terminals, commands, flushed }
}

const never = new AbortController().signal

describe('TerminalCommands', () => {
  test('runs the command in a terminal tab of its own, after writing pending edits, and answers code and clean output', async () => {
    const { terminals, commands, flushed } = setup()
    const outcome = await commands.run('printf "\\033[31mred\\033[0m\\n"; echo two; exit 3', { timeoutMs: 10_000, signal: never })
    expect(outcome).toEqual({ kind: 'done', exitCode: 3, output: 'red\ntwo', cutBytes: 0, timedOut: false, stopped: false })
    expect(flushed).toEqual(['flush'])
    const [tab] = terminals.store.get().sessions
    expect(tab!.title).toMatch(/^AI: printf/)
    expect(tab!.text).toContain('two')
  })

  test('a command past its timeout is killed and says so', async () => {
    const { commands } = setup()
    const started = Date.now()
    // 4 s: on a loaded 2-core machine the shell can take over a second to print 'start'.
    const outcome = await commands.run('echo start; sleep 30', { timeoutMs: 4_000, signal: never })
    expect(outcome).toMatchObject({ kind: 'done', timedOut: true, stopped: false, output: 'start' })
    expect(Date.now() - started).toBeLessThan(15_000)
  })

  test('stopping the turn kills the command', async () => {
    const { commands } = setup()
    const stop = new AbortController()
    const running = commands.run('sleep 30', { timeoutMs: 60_000, signal: stop.signal })
    setTimeout(() => stop.abort(), 300)
    expect(await running).toMatchObject({ kind: 'done', stopped: true, timedOut: false })
  })

  test('output past the cap keeps the head and the tail and counts what was cut', async () => {
    const { commands } = setup(2_000)
    const outcome = await commands.run('i=0; while [ $i -lt 500 ]; do echo "line $i"; i=$((i+1)); done', { timeoutMs: 20_000, signal: never })
    if (outcome.kind !== 'done') throw new Error(outcome.kind)
    expect(new TextEncoder().encode(outcome.output).length).toBeLessThanOrEqual(2_000 + 60)
    expect(outcome.output.startsWith('line 0\nline 1\n')).toBe(true)
    expect(outcome.output.endsWith('line 499')).toBe(true)
    expect(outcome.output).toMatch(/\[… \d+ bytes of output cut here …\]/)
    const total = Array.from({ length: 500 }, (_, i) => `line ${i}\n`).join('').length
    const kept = outcome.output.split('\n').filter((l) => !l.startsWith('[…')).reduce((n, l) => n + l.length + 1, 0)
    expect(outcome.cutBytes).toBe(total - kept)
  })

  test('no runtime: the command fails with the reason', async () => {
    const commands = new TerminalCommands({ terminals: new Terminals(() => undefined), runtime: () => Promise.reject(new Error('boot failed')) })
    expect(await commands.run('ls', { timeoutMs: 1_000, signal: never })).toEqual({ kind: 'failed', message: "The project's runtime is not running: boot failed" })
  })
})

test('OutputCapture takes chunks split anywhere, escapes included, and drops the session marker', () => {
  const c = new OutputCapture(1_000)
  for (const chunk of ['he', 'llo\r', '\n\x1b[3', '2mgreen\x1b[0m\nlast', '\r\n\x1b[2m[process exited with code 0]\x1b[0m\r\n']) c.push(chunk)
  expect(c.result()).toEqual({ output: 'hello\ngreen\nlast', cutBytes: 0 })
})
