import { expect, test } from 'vitest'
import type { Runtime, RuntimeProcess } from '../runtime/index.ts'
import { Terminals } from '../terminal/Terminals.ts'
import { RunController } from './RunController.ts'

/// A process that prints nothing and runs until killed (exit 137) or told to exit.
function fakeProcess(): RuntimeProcess & { finish(code: number): void; killed: boolean } {
  let finish!: (code: number) => void
  const exit = new Promise<number>((r) => (finish = r))
  const p = {
    output: new ReadableStream<string>(),
    input: new WritableStream<string>(),
    exit,
    killed: false,
    kill: () => {
      p.killed = true
      finish(137)
    },
    resize: () => {},
    finish: (code: number) => finish(code),
  }
  return p
}

function setup(packageJson: { current: string }) {
  const spawned: Array<{ command: string; args: string[]; process: ReturnType<typeof fakeProcess> }> = []
  const runtime = {
    spawn: async (command: string, args: string[]) => {
      const process = fakeProcess()
      spawned.push({ command, args, process })
      // npm install finishes at once; the dev script keeps running
      if (args[0] === 'install') queueMicrotask(() => process.finish(0))
      return process
    },
    shell: () => ({ command: 'sh', args: [] }),
    on: () => ({ dispose() {} }),
  } as unknown as Runtime
  const terminals = new Terminals(() => runtime)
  const run = new RunController({ runtime: async () => runtime, terminals, packageJson: () => packageJson.current })
  const titles = () => terminals.store.get().sessions.map((s) => s.title)
  return { spawned, terminals, run, titles }
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
