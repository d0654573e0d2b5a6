import { afterEach, describe, expect, test, vi } from 'vitest'
import { CommandRegistry, ContextKeys } from '../../core/commands/index.ts'
import { KeydownLayer } from './KeydownLayer.ts'

// The one keydown listener, driven with plain events on a plain EventTarget (Node has no KeyboardEvent).

type Init = { key: string; code: string; ctrlKey?: boolean; shiftKey?: boolean; altKey?: boolean; metaKey?: boolean; repeat?: boolean; isComposing?: boolean }

function setup() {
  const target = new EventTarget()
  const registry = new CommandRegistry('other')
  const context = new ContextKeys()
  const ran: string[] = []
  for (const id of ['palette', 'shortcuts', 'start', 'fails']) {
    registry.registerCommand({ id, title: id, run: () => (id === 'fails' ? Promise.reject(new Error('no')) : ran.push(id)) })
  }
  registry.registerKeybinding({ key: 'f1', command: 'palette', when: '!dialogOpen' })
  registry.registerKeybinding({ key: 'ctrl+k ctrl+s', command: 'shortcuts' })
  registry.registerKeybinding({ key: 'f5', command: 'start', repeat: false })
  registry.registerKeybinding({ key: 'f9', command: 'fails' })
  const layer = new KeydownLayer(target as unknown as Window, registry, context)
  const press = (init: Init) => {
    const e = Object.assign(new Event('keydown', { cancelable: true }), { ctrlKey: false, shiftKey: false, altKey: false, metaKey: false, repeat: false, isComposing: false, keyCode: 0, ...init })
    const stop = vi.spyOn(e, 'stopPropagation')
    target.dispatchEvent(e)
    return { taken: e.defaultPrevented, stopped: stop.mock.calls.length > 0 }
  }
  return { layer, context, ran, press }
}

afterEach(() => vi.restoreAllMocks())

describe('KeydownLayer', () => {
  test('a bound key runs its command and goes no further; an unbound one is left alone', () => {
    const { press, ran } = setup()
    expect(press({ key: 'F1', code: 'F1' })).toEqual({ taken: true, stopped: true })
    expect(ran).toEqual(['palette'])
    expect(press({ key: 'F2', code: 'F2' })).toEqual({ taken: false, stopped: false })
    expect(press({ key: 'c', code: 'KeyC', ctrlKey: true })).toEqual({ taken: false, stopped: false })
  })

  test('a key whose when clause fails reaches the page', () => {
    const { press, ran, context } = setup()
    context.claim('dialogOpen')
    expect(press({ key: 'F1', code: 'F1' }).taken).toBe(false)
    expect(ran).toEqual([])
  })

  test('a chord waits for its second stroke (a lone Ctrl does not cancel it) and says so meanwhile', () => {
    const { press, ran, layer } = setup()
    expect(press({ key: 'k', code: 'KeyK', ctrlKey: true }).taken).toBe(true)
    expect(layer.status.get()).toEqual({ kind: 'waiting', first: 'Ctrl+K' })
    expect(press({ key: 'Control', code: 'ControlLeft', ctrlKey: true }).taken).toBe(false)
    expect(press({ key: 's', code: 'KeyS', ctrlKey: true }).taken).toBe(true)
    expect(ran).toEqual(['shortcuts'])
    expect(layer.status.get()).toBeUndefined()
  })

  test('a chord whose second stroke is no command swallows it, says so, and starts over', () => {
    const { press, ran, layer } = setup()
    press({ key: 'k', code: 'KeyK', ctrlKey: true })
    expect(press({ key: 'x', code: 'KeyX', ctrlKey: true }).taken).toBe(true)
    expect(layer.status.get()).toEqual({ kind: 'unbound', keys: 'Ctrl+K Ctrl+X' })
    expect(ran).toEqual([])
    // Ctrl+S alone is not the chord's end any more.
    expect(press({ key: 's', code: 'KeyS', ctrlKey: true }).taken).toBe(false)
  })

  test('a held key that must not repeat runs once; its repeats are still kept from the page (no reload on F5)', () => {
    const { press, ran } = setup()
    press({ key: 'F5', code: 'F5' })
    expect(press({ key: 'F5', code: 'F5', repeat: true }).taken).toBe(true)
    expect(ran).toEqual(['start'])
  })

  test('keys of an input method composing are its own', () => {
    const { press, ran } = setup()
    expect(press({ key: 'F1', code: 'F1', isComposing: true }).taken).toBe(false)
    expect(ran).toEqual([])
  })

  test('a command that fails is logged, not thrown into the page', async () => {
    const { press } = setup()
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(press({ key: 'F9', code: 'F9' }).taken).toBe(true)
    await new Promise((r) => setTimeout(r, 0))
    expect(error).toHaveBeenCalledWith('command fails failed', expect.any(Error))
  })

  test('dispose removes the listener', () => {
    const { press, ran, layer } = setup()
    layer.dispose()
    expect(press({ key: 'F1', code: 'F1' }).taken).toBe(false)
    expect(ran).toEqual([])
  })
})
