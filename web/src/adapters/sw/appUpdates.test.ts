import { expect, test } from 'vitest'
import { watchAppUpdates } from './appUpdates.ts'
import type { WorkboxLike } from './appUpdates.ts'

function fakeWorkbox() {
  const listeners = new Map<string, Array<(e: unknown) => void>>()
  let skips = 0
  const wb = {
    addEventListener: (type: string, fn: (e: unknown) => void) => listeners.set(type, [...(listeners.get(type) ?? []), fn]),
    register: async () => undefined,
    messageSkipWaiting: () => void skips++,
    update: async () => undefined,
  } as unknown as WorkboxLike
  return { wb, emit: (type: string, e: object = {}) => listeners.get(type)?.forEach((fn) => fn(e)), skips: () => skips }
}
const tick = () => new Promise((r) => setTimeout(r, 0))

test('a waiting version is offered, never applied until the person asks, then the page reloads once it controls', async () => {
  const f = fakeWorkbox()
  let reloads = 0
  const u = watchAppUpdates(Promise.resolve(f.wb), { reload: () => void reloads++, hasController: () => true })
  await tick()
  f.emit('waiting')
  expect(u.store.get().waiting).toBe(true)
  expect(f.skips()).toBe(0)
  u.reload()
  expect(f.skips()).toBe(1)
  expect(reloads).toBe(0)
  f.emit('controlling', { isUpdate: true })
  expect(reloads).toBe(1)
})

test('when another tab applied the update, this tab keeps offering a reload and reloads without another skip', async () => {
  const f = fakeWorkbox()
  let reloads = 0
  const u = watchAppUpdates(Promise.resolve(f.wb), { reload: () => void reloads++, hasController: () => true })
  await tick()
  f.emit('waiting')
  f.emit('controlling', { isUpdate: true })
  expect(reloads).toBe(0)
  expect(u.store.get().waiting).toBe(true)
  u.reload()
  expect(reloads).toBe(1)
  expect(f.skips()).toBe(0)
})

test('the first install says the app now works offline; an update does not', async () => {
  const f = fakeWorkbox()
  const u = watchAppUpdates(Promise.resolve(f.wb), { reload: () => {}, hasController: () => false })
  await tick()
  f.emit('installed', { isUpdate: true })
  expect(u.store.get().offlineReady).toBe(false)
  f.emit('installed', { isUpdate: false })
  expect(u.store.get().offlineReady).toBe(true)
  u.dismissOfflineReady()
  expect(u.store.get().offlineReady).toBe(false)
})
