import { expect, test } from 'vitest'
import type { Runtime, RuntimeEvents, RuntimeProcess } from '../runtime/index.ts'
import { Terminals } from '../terminal/Terminals.ts'
import { WATCH_COMPLETED, WATCH_MISSING_MODULE } from './captured.test-data.ts'
import { RunController } from './RunController.ts'

/// A process that prints what `print` gives it and runs until killed (exit 137) or told to exit.
function fakeProcess(): RuntimeProcess & { finish(code: number): void; killed: boolean; print(text: string): void } {
  let finish!: (code: number) => void
  let out!: ReadableStreamDefaultController<string>
  const exit = new Promise<number>((r) => (finish = r))
  const p = {
    output: new ReadableStream<string>({ start: (c) => void (out = c) }),
    input: new WritableStream<string>(),
    exit,
    killed: false,
    kill: () => {
      p.killed = true
      finish(137)
    },
    resize: () => {},
    finish: (code: number) => finish(code),
    print: (text: string) => out.enqueue(text),
  }
  return p
}

function setup(packageJson: { current: string }, openPorts: number[] = [], flush?: () => Promise<void>) {
  const spawned: Array<{ command: string; args: string[]; process: ReturnType<typeof fakeProcess> }> = []
  type Listener = (...args: never[]) => void
  const listeners = new Map<keyof RuntimeEvents, Set<Listener>>()
  const runtime = {
    spawn: async (command: string, args: string[]) => {
      const process = fakeProcess()
      spawned.push({ command, args, process })
      // npm install finishes at once; the dev script keeps running
      if (args[0] === 'install') queueMicrotask(() => process.finish(0))
      return process
    },
    shell: () => ({ command: 'sh', args: [] }),
    on: (event: keyof RuntimeEvents, listener: Listener) => {
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      set.add(listener)
      return { dispose: () => set.delete(listener) }
    },
  } as unknown as Runtime
  const emit = <E extends keyof RuntimeEvents>(event: E, ...args: Parameters<RuntimeEvents[E]>) => {
    for (const l of listeners.get(event) ?? []) (l as unknown as (...a: Parameters<RuntimeEvents[E]>) => void)(...args)
  }
  const terminals = new Terminals(() => runtime)
  const run = new RunController({
    runtime: async () => runtime,
    terminals,
    packageJson: () => packageJson.current,
    openPorts: () => openPorts,
    claimGraceMs: 30,
    exitSettleMs: 1,
    ...(flush ? { flush } : {}),
  })
  const titles = () => terminals.store.get().sessions.map((s) => s.title)
  const script = () => spawned.findLast((s) => s.args[0] === 'run')!.process
  return { spawned, terminals, run, titles, emit, script }
}

const settle = () => new Promise((r) => setTimeout(r, 10))
const withDeps = JSON.stringify({ scripts: { dev: 'vite' }, dependencies: { react: '^19' } })

test('running again reuses the run tabs in place instead of adding more', async () => {
  const { spawned, terminals, run, titles } = setup({ current: withDeps })
  await terminals.openShell()
  await run.start()
  await settle()
  expect(titles()).toEqual(['sh', 'npm install', 'npm run dev'])
  const firstDev = spawned.find((s) => s.args[0] === 'run')!.process

  await run.start()
  await settle()
  await run.start()
  await settle()
  expect(titles()).toEqual(['sh', 'npm install', 'npm run dev'])
  expect(firstDev.killed).toBe(true)
  // the live tabs are the newest processes
  const ids = terminals.store.get().sessions.map((s) => s.id)
  expect(new Set(ids).size).toBe(3)
  expect(spawned.filter((s) => s.args[0] === 'run' && !s.process.killed)).toHaveLength(1)
})

test('a run tab the person closed is opened again at the end; a dropped install step closes its tab', async () => {
  const pkg = { current: withDeps }
  const { terminals, run, titles } = setup(pkg)
  await run.start()
  await settle()
  const dev = terminals.store.get().sessions.find((s) => s.title === 'npm run dev')!
  terminals.close(dev.id)
  await terminals.openShell()
  pkg.current = JSON.stringify({ scripts: { start: 'node index.js' } })
  await run.start()
  await settle()
  expect(titles()).toEqual(['sh', 'npm run start'])
})

test('the replaced tab keeps its place and stays in front when it was in front', async () => {
  const { terminals, run } = setup({ current: JSON.stringify({ scripts: { dev: 'node --watch a.js' } }) })
  await run.start()
  await settle()
  await terminals.openShell()
  const [dev] = terminals.store.get().sessions
  terminals.activate(dev!.id)
  await run.start()
  await settle()
  const { sessions, activeId } = terminals.store.get()
  expect(sessions.map((s) => s.title)).toEqual(['npm run dev', 'sh'])
  expect(activeId).toBe(sessions[0]!.id)
  expect(sessions[0]!.id).not.toBe(dev!.id)
})

test('a start overtaken by another start leaves no tab of its own behind', async () => {
  const { run, titles, spawned } = setup({ current: JSON.stringify({ scripts: { dev: 'x' } }) })
  const first = run.start()
  const second = run.start()
  await Promise.all([first, second])
  await settle()
  expect(titles()).toEqual(['npm run dev'])
  expect(spawned.filter((s) => !s.process.killed)).toHaveLength(1)
})

const watchScript = JSON.stringify({ scripts: { dev: 'node --watch index.js' } })

test('a watcher that prints a crash and waits fails the run at once, with the key error line', async () => {
  const { run, script } = setup({ current: watchScript })
  await run.start()
  await settle()
  for (const chunk of WATCH_MISSING_MODULE.match(/[\s\S]{1,37}/g)!) script().print(chunk)
  await settle()
  expect(run.store.get()).toMatchObject({
    status: 'failed',
    step: 'starting',
    waiting: true,
    line: "Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/home/me/app/lib/missing.js' imported from /home/me/app/missing.mjs",
  })
  expect(script().killed).toBe(false)
})

test('a script that runs and ends under a watcher is finished (exit 0) with its output, not "starting"', async () => {
  const { run, script } = setup({ current: watchScript })
  await run.start()
  await settle()
  script().print('\r\n> node-script@ dev\r\n> node --watch index.js\r\n\r\n')
  script().print(WATCH_COMPLETED)
  await settle()
  expect(run.store.get()).toEqual({ status: 'exited', code: 0, output: 'Hello, Slipway!\nNode v20.20.2', watching: true })
})

test('a script that exits: failed with its excerpt, or finished with its output', async () => {
  const { run, script } = setup({ current: JSON.stringify({ scripts: { start: 'node index.js' } }) })
  await run.start()
  await settle()
  script().print('file:///app/index.js:1\r\nthrow new Error("boom")\r\n^\r\n\r\nError: boom\r\n    at file:///app/index.js:1:7\r\n')
  script().finish(1)
  await settle()
  expect(run.store.get()).toMatchObject({ status: 'failed', error: 'The script exited with code 1', line: 'Error: boom' })
  expect((run.store.get() as { excerpt: string }).excerpt).toContain('at file:///app/index.js:1:7')

  await run.start()
  await settle()
  script().print('all done\r\n')
  script().finish(0)
  await settle()
  expect(run.store.get()).toEqual({ status: 'exited', code: 0, output: 'all done', watching: false })
})

test('a second server started in a terminal does not become the run’s, and its death changes nothing', async () => {
  const { run, script, emit, terminals } = setup({ current: JSON.stringify({ scripts: { dev: 'node --watch server.js' } }) })
  await terminals.openShell()
  await run.start()
  await settle()
  script().print('Listening on http://localhost:3000\r\n')
  await settle()
  emit('port', 3000, 'open', 'http://localhost:3000')
  emit('server-ready', 3000, 'http://localhost:3000')
  expect(run.store.get()).toEqual({ status: 'ready', port: 3000, url: 'http://localhost:3000' })

  emit('port', 4000, 'open', 'http://localhost:4000')
  emit('server-ready', 4000, 'http://localhost:4000')
  await new Promise((r) => setTimeout(r, 60))
  expect(run.store.get()).toMatchObject({ status: 'ready', port: 3000 })
  emit('port', 4000, 'close', 'http://localhost:4000')
  expect(run.store.get()).toMatchObject({ status: 'ready', port: 3000 })

  // the run's own server going away is not "ready" any more
  emit('port', 3000, 'close', 'http://localhost:3000')
  expect(run.store.get()).toMatchObject({ status: 'running', step: 'starting' })
  emit('server-ready', 3000, 'http://localhost:3000')
  expect(run.store.get()).toMatchObject({ status: 'ready', port: 3000 })
})

test('a server already listening when the run starts is not the run’s; a silent new one is, after the grace period', async () => {
  const { run, emit, terminals } = setup({ current: JSON.stringify({ scripts: { dev: 'node s.js' } }) }, [4000])
  await terminals.openShell()
  await run.start()
  await settle()
  emit('server-ready', 4000, 'http://localhost:4000')
  emit('server-ready', 8080, 'http://localhost:8080')
  expect(run.store.get()).toMatchObject({ status: 'running' })
  await new Promise((r) => setTimeout(r, 60))
  expect(run.store.get()).toMatchObject({ status: 'ready', port: 8080 })
})

test('Show terminal brings the failing step’s tab to the front', async () => {
  const { run, script, terminals } = setup({ current: watchScript })
  await run.start()
  await settle()
  const shell = await terminals.openShell()
  terminals.activate(shell.id)
  script().print(WATCH_MISSING_MODULE)
  await settle()
  expect(run.showOutput()).toBe(true)
  const { sessions, activeId } = terminals.store.get()
  expect(sessions.find((s) => s.id === activeId)?.title).toBe('npm run dev')
})

test('a stopped run’s processes are marked stopped, not failed', async () => {
  const { run, terminals } = setup({ current: watchScript })
  await run.start()
  await settle()
  run.stop()
  await settle()
  const [dev] = terminals.store.get().sessions
  expect(dev!.stopped).toBe(true)
  expect(dev!.text).toContain('[stopped]')
  expect(dev!.text).not.toContain('exited with code')
})

test('a run writes pending edits into the runtime before anything starts', async () => {
  const seen: { spawnedAtFlush?: number } = {}
  const box: { spawned?: unknown[] } = {}
  const flush = async () => {
    await new Promise((r) => setTimeout(r, 20))
    seen.spawnedAtFlush = box.spawned!.length
  }
  const { run, spawned } = setup({ current: withDeps }, [], flush)
  box.spawned = spawned
  await run.start()
  expect(seen.spawnedAtFlush).toBe(0)
  expect(spawned.map((s) => s.args[0])).toEqual(['install', 'run'])
})
