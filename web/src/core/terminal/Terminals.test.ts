import { expect, test } from 'vitest'
import type { Runtime, RuntimeProcess } from '../runtime/index.ts'
import { Terminals } from './Terminals.ts'

function fakeRuntime(shell = '/bin/sh'): Runtime {
  const process = (): RuntimeProcess => {
    let finish!: (code: number) => void
    return {
      output: new ReadableStream<string>(),
      input: new WritableStream<string>(),
      exit: new Promise<number>((r) => (finish = r)),
      kill: () => finish(137),
      resize: () => {},
    }
  }
  return { spawn: async () => process(), shell: () => ({ command: shell, args: [] }) } as unknown as Runtime
}

const titles = (t: Terminals) => t.store.get().sessions.map((s) => s.title)

test('shell tabs are named sh, sh 2, sh 3, and a closed number is reused', async () => {
  const terminals = new Terminals(() => fakeRuntime())
  await terminals.openShell()
  const second = await terminals.openShell()
  await terminals.openShell()
  expect(titles(terminals)).toEqual(['sh', 'sh 2', 'sh 3'])
  terminals.close(second.id)
  await terminals.openShell()
  expect(titles(terminals)).toEqual(['sh', 'sh 3', 'sh 2'])
})

test('run tabs do not take a shell number', async () => {
  const terminals = new Terminals(() => fakeRuntime('/usr/bin/bash'))
  await terminals.run('npm run dev', 'npm', ['run', 'dev'])
  await terminals.openShell()
  expect(titles(terminals)).toEqual(['npm run dev', 'bash'])
})
