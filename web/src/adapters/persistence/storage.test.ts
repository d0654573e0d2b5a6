import { expect, test } from 'vitest'
import { readStorageInfo, requestPersistenceOnce } from './storage.ts'

function memoryStorage(): Storage {
  const m = new Map<string, string>()
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
    clear: () => m.clear(),
    key: (i) => [...m.keys()][i] ?? null,
    get length() {
      return m.size
    },
  }
}

test('asks for persistent storage once per browser', async () => {
  let asked = 0
  const storage = { persist: async () => (asked++, true) }
  const settings = memoryStorage()
  expect(await requestPersistenceOnce(storage, settings)).toBe(true)
  expect(await requestPersistenceOnce(storage, settings)).toBeUndefined()
  expect(asked).toBe(1)
})

test('reads what the browser reports, and copes with a browser that reports nothing', async () => {
  expect(await readStorageInfo({ persisted: async () => false, estimate: async () => ({ usage: 1234, quota: 10e9 }) })).toEqual({
    persisted: false,
    usage: 1234,
    quota: 10e9,
  })
  expect(await readStorageInfo(undefined)).toEqual({ persisted: undefined, usage: undefined, quota: undefined })
  expect(await readStorageInfo({ persisted: () => Promise.reject(new Error('no')) })).toMatchObject({ persisted: undefined })
})
