import { describe, expect, test } from 'vitest'
import { Connectivity, statusProblems } from './Connectivity.ts'
import type { ConnectivityScope, ConnectivityState, ServerCheck } from './Connectivity.ts'

const OK: ServerCheck = { state: 'ok', health: { ok: true, db: 'pglite', version: '0.1.0' } }
const DOWN: ServerCheck = { state: 'error', reason: 'request failed: Failed to fetch' }

/// A page scope with a switchable `navigator.onLine`, its events, and timers run by hand.
function fakeScope(onLine = true) {
  const target = new EventTarget()
  const timers = new Map<number, () => void>()
  let next = 1
  const scope = {
    navigator: { onLine },
    addEventListener: (type: string, l: () => void) => target.addEventListener(type, l),
    removeEventListener: (type: string, l: () => void) => target.removeEventListener(type, l),
    setTimeout: (fn: () => void) => {
      timers.set(next, fn)
      return next++
    },
    clearTimeout: (id: number) => void timers.delete(id),
  } satisfies ConnectivityScope
  return {
    scope,
    go(online: boolean) {
      scope.navigator.onLine = online
      target.dispatchEvent(new Event(online ? 'online' : 'offline'))
    },
    timers,
    runTimers() {
      const fns = [...timers.values()]
      timers.clear()
      for (const fn of fns) fn()
    },
  }
}

/// A health check whose answers the test gives one by one.
function scriptedHealth(...answers: ServerCheck[]) {
  const calls: AbortSignal[] = []
  return {
    calls,
    check: async (signal: AbortSignal) => {
      calls.push(signal)
      return answers.shift() ?? OK
    },
  }
}

const settle = () => new Promise((r) => setTimeout(r, 0))

describe('Connectivity', () => {
  test('asks the server on start and keeps the answer', async () => {
    const page = fakeScope()
    const health = scriptedHealth(OK)
    const c = new Connectivity(health.check, page.scope)
    expect(c.store.get()).toEqual({ online: true, server: undefined })
    c.start()
    await settle()
    expect(c.store.get()).toEqual({ online: true, server: OK })
    expect(page.timers.size).toBe(0)
    c.dispose()
  })

  test('going offline shows at once; coming back asks the server again', async () => {
    const page = fakeScope()
    const health = scriptedHealth(OK, OK)
    const c = new Connectivity(health.check, page.scope)
    c.start()
    await settle()
    page.go(false)
    expect(c.store.get().online).toBe(false)
    expect(c.store.get().server).toEqual(OK) // the last answer stays; statusProblems says "offline"
    page.go(true)
    await settle()
    expect(c.store.get()).toEqual({ online: true, server: OK })
    expect(health.calls).toHaveLength(2)
    c.dispose()
  })

  test('starts offline when the browser says so', () => {
    const c = new Connectivity(scriptedHealth().check, fakeScope(false).scope)
    expect(c.store.get().online).toBe(false)
  })

  test('an unreachable server is asked again until it answers', async () => {
    const page = fakeScope()
    const health = scriptedHealth(DOWN, DOWN, OK)
    const c = new Connectivity(health.check, page.scope, { retryMs: 1000 })
    c.start()
    await settle()
    expect(c.store.get().server).toEqual(DOWN)
    page.runTimers()
    await settle()
    expect(c.store.get().server).toEqual(DOWN)
    page.runTimers()
    await settle()
    expect(c.store.get().server).toEqual(OK)
    expect(page.timers.size).toBe(0)
    c.dispose()
  })

  test('a newer check aborts the one still running; its late answer is dropped', async () => {
    const page = fakeScope()
    let release!: (v: ServerCheck) => void
    const signals: AbortSignal[] = []
    const c = new Connectivity(
      (signal) => {
        signals.push(signal)
        return signals.length === 1 ? new Promise<ServerCheck>((r) => (release = r)) : Promise.resolve(OK)
      },
      page.scope,
    )
    c.start()
    page.go(true)
    await settle()
    expect(signals[0]!.aborted).toBe(true)
    release(DOWN)
    await settle()
    expect(c.store.get().server).toEqual(OK)
    c.dispose()
  })

  test('dispose removes its listeners and timer', async () => {
    const page = fakeScope()
    const health = scriptedHealth(DOWN)
    const c = new Connectivity(health.check, page.scope)
    c.start()
    await settle()
    expect(page.timers.size).toBe(1)
    c.dispose()
    expect(page.timers.size).toBe(0)
    page.go(false)
    page.go(true)
    await settle()
    expect(c.store.get().online).toBe(true)
    expect(health.calls).toHaveLength(1)
  })
})

describe('statusProblems', () => {
  const state = (online: boolean, server: ServerCheck | undefined): ConnectivityState => ({ online, server })
  const page = { isolated: true, needsIsolation: true }
  test.each<[string, ConnectivityState, { isolated: boolean; needsIsolation: boolean }, string[]]>([
    ['all well', state(true, OK), page, []],
    ['still asking', state(true, undefined), page, []],
    ['offline (the server check failing too is implied)', state(false, DOWN), page, ['offline']],
    ['offline after a good answer', state(false, OK), page, ['offline']],
    ['server unreachable', state(true, DOWN), page, ['server']],
    ['not isolated, WebContainer chosen', state(true, OK), { isolated: false, needsIsolation: true }, ['isolation']],
    ['not isolated, local runtime chosen', state(true, OK), { isolated: false, needsIsolation: false }, []],
    ['offline and not isolated', state(false, DOWN), { isolated: false, needsIsolation: true }, ['offline', 'isolation']],
  ])('%s', (_name, s, p, kinds) => {
    expect(statusProblems(s, p).map((x) => x.kind)).toEqual(kinds)
  })
})
