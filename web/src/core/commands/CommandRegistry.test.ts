import { describe, expect, test } from 'vitest'
import { CommandRegistry } from './CommandRegistry.ts'
import { ContextKeys } from './ContextKeys.ts'
import { parseKeybinding } from './keys.ts'
import { rankPalette } from './palette.ts'
import { parseRecent, rememberRecent } from './recent.ts'

const stroke = (text: string, platform: 'mac' | 'other' = 'other') => parseKeybinding(text, platform)

function setup(platform: 'mac' | 'other' = 'other') {
  const registry = new CommandRegistry(platform)
  const context = new ContextKeys()
  const ran: string[] = []
  const declare = (id: string, enablement?: string) =>
    registry.registerCommand({ id, title: id, ...(enablement ? { enablement } : {}), run: (args) => ran.push(args === undefined ? id : `${id}(${String(args)})`) })
  return { registry, context, ran, declare }
}

describe('resolve', () => {
  test('a key resolves to its command where its when clause holds, else to nothing', () => {
    const { registry, context, declare } = setup()
    declare('goToLine')
    registry.registerKeybinding({ key: 'ctrl+g', command: 'goToLine', when: '!terminalFocus' })
    expect(registry.resolve(stroke('ctrl+g'), context)).toMatchObject({ kind: 'command', binding: { rule: { command: 'goToLine' } } })
    const release = context.claim('terminalFocus')
    expect(registry.resolve(stroke('ctrl+g'), context)).toEqual({ kind: 'none' })
    release()
    expect(registry.resolve(stroke('ctrl+g'), context).kind).toBe('command')
    expect(registry.resolve(stroke('ctrl+shift+g'), context)).toEqual({ kind: 'none' })
  })

  test('a later binding of the same key wins where both apply; the earlier one still applies where only it does', () => {
    const { registry, context, declare } = setup()
    declare('toggleTerminal')
    declare('focusEditor')
    registry.registerKeybinding({ key: 'ctrl+`', command: 'toggleTerminal' })
    registry.registerKeybinding({ key: 'ctrl+`', command: 'focusEditor', when: 'terminalFocus' })
    expect(registry.resolve(stroke('ctrl+`'), context)).toMatchObject({ binding: { rule: { command: 'toggleTerminal' } } })
    context.claim('terminalFocus')
    expect(registry.resolve(stroke('ctrl+`'), context)).toMatchObject({ binding: { rule: { command: 'focusEditor' } } })
  })

  test('a command without a handler, or whose enablement fails, leaves the key to the focused element', () => {
    const { registry, context, declare } = setup()
    registry.registerCommand({ id: 'closeEditor', title: 'Close Editor', enablement: 'openEditorCount >= 1' })
    registry.registerKeybinding({ key: 'alt+w', command: 'closeEditor' })
    expect(registry.resolve(stroke('alt+w'), context).kind).toBe('none')
    const unhandle = registry.registerHandler('closeEditor', () => {})
    expect(registry.resolve(stroke('alt+w'), context).kind).toBe('none')
    let open = 0
    context.provide('openEditorCount', () => open)
    open = 1
    expect(registry.resolve(stroke('alt+w'), context).kind).toBe('command')
    unhandle()
    expect(registry.resolve(stroke('alt+w'), context).kind).toBe('none')
    declare('x')
  })

  test('chords: the first stroke is a prefix, the second completes; an exact single key beats a chord prefix', () => {
    const { registry, context, declare } = setup()
    declare('shortcuts')
    declare('kill')
    registry.registerKeybinding({ key: 'ctrl+k ctrl+s', command: 'shortcuts', when: '!editorFocus' })
    expect(registry.resolve(stroke('ctrl+k'), context)).toEqual({ kind: 'prefix' })
    expect(registry.resolve(stroke('ctrl+k ctrl+s'), context)).toMatchObject({ kind: 'command', binding: { label: 'Ctrl+K Ctrl+S' } })
    expect(registry.resolve(stroke('ctrl+k ctrl+x'), context)).toEqual({ kind: 'none' })
    // Where the chord does not apply (the code editor has its own Ctrl+K chords), Ctrl+K is left alone.
    const editor = context.claim('editorFocus')
    expect(registry.resolve(stroke('ctrl+k'), context)).toEqual({ kind: 'none' })
    editor()
    registry.registerKeybinding({ key: 'ctrl+k', command: 'kill', when: 'terminalFocus' })
    context.claim('terminalFocus')
    expect(registry.resolve(stroke('ctrl+k'), context)).toMatchObject({ kind: 'command', binding: { rule: { command: 'kill' } } })
  })

  test('on macOS ctrl in a binding is ⌘, and a mac form means what it says', () => {
    const { registry, context, declare } = setup('mac')
    declare('quickOpen')
    declare('goToLine')
    registry.registerKeybinding({ key: 'ctrl+p', command: 'quickOpen' })
    registry.registerKeybinding({ key: 'ctrl+g', mac: 'ctrl+g', command: 'goToLine' })
    expect(registry.resolve(stroke('cmd+p'), context).kind).toBe('command')
    expect(registry.resolve([{ ctrl: true, shift: false, alt: false, meta: false, key: 'p' }], context).kind).toBe('none')
    expect(registry.resolve([{ ctrl: true, shift: false, alt: false, meta: false, key: 'g' }], context).kind).toBe('command')
    expect(registry.keybindingsFor('quickOpen')[0]!.label).toBe('⌘P')
    expect(registry.keybindingsFor('goToLine')[0]!.label).toBe('⌃G')
  })
})

describe('commands and handlers', () => {
  test('execute runs the newest handler; disposing it gives the command back to the previous one', () => {
    const { registry } = setup()
    const ran: string[] = []
    registry.registerCommand({ id: 'share', title: 'Share…' })
    const first = registry.registerHandler('share', () => ran.push('first'))
    const second = registry.registerHandler('share', () => ran.push('second'))
    registry.execute('share')
    second()
    registry.execute('share')
    first()
    expect(ran).toEqual(['second', 'first'])
    expect(() => registry.execute('share')).toThrow('Command "share" has no handler now')
  })

  test('misuse throws with the values: duplicate ids, unknown commands, bad keys and clauses', () => {
    const { registry, declare } = setup()
    declare('a')
    expect(() => declare('a')).toThrow('Command "a" is already registered')
    expect(() => registry.registerHandler('nope', () => {})).toThrow('No command "nope" to handle')
    expect(() => registry.execute('nope')).toThrow('No command "nope"')
    expect(() => registry.registerKeybinding({ key: 'ctrl+p', command: 'nope' })).toThrow('names no command: "nope"')
    expect(() => registry.registerKeybinding({ key: 'ctrl+nope', command: 'a' })).toThrow('unknown key "nope"')
    expect(() => registry.registerKeybinding({ key: 'ctrl+p', command: 'a', when: 'a &&' })).toThrow(/Invalid when clause "a &&"/)
    expect(() => registry.registerCommand({ id: 'b', title: 'b', enablement: '(' })).toThrow(RangeError)
    // Nothing half-registered.
    expect(registry.keybindings()).toHaveLength(0)
    expect(registry.commands().map((c) => c.id)).toEqual(['a'])
  })

  test('tryExecute checks enablement; args reach the handler', () => {
    const { registry, context, ran, declare } = setup()
    declare('openEditorAtIndex', 'openEditorCount >= 2')
    expect(registry.tryExecute('openEditorAtIndex', context, 2)).toBe(false)
    context.provide('openEditorCount', 2)
    expect(registry.tryExecute('openEditorAtIndex', context, 2)).toBe(true)
    expect(ran).toEqual(['openEditorAtIndex(2)'])
  })

  test('providers add commands while they are there', () => {
    const { registry } = setup()
    const dispose = registry.registerProvider(() => [{ id: 'actions.find', title: 'Find', keybinding: 'Ctrl+F', run: () => {} }])
    expect(registry.provided().map((c) => c.id)).toEqual(['actions.find'])
    dispose()
    expect(registry.provided()).toEqual([])
  })
})

describe('ContextKeys', () => {
  test('claims count: the key holds until the last claim goes; releasing twice is harmless', () => {
    const keys = new ContextKeys()
    const a = keys.claim('dialogOpen')
    const b = keys.claim('dialogOpen')
    a()
    a()
    expect(keys.get('dialogOpen')).toBe(true)
    b()
    expect(keys.get('dialogOpen')).toBeUndefined()
  })

  test('the newest provider wins while it lasts; functions are read when asked; a snapshot keeps the values', () => {
    const keys = new ContextKeys()
    let focused = true
    const outer = keys.provide('treeFocus', () => focused)
    expect(keys.get('treeFocus')).toBe(true)
    const snapshot = keys.snapshot()
    focused = false
    expect(keys.get('treeFocus')).toBe(false)
    expect(snapshot.get('treeFocus')).toBe(true)
    const inner = keys.provide('treeFocus', 'yes')
    expect(keys.get('treeFocus')).toBe('yes')
    inner()
    expect(keys.get('treeFocus')).toBe(false)
    outer()
    expect(keys.get('treeFocus')).toBeUndefined()
  })
})

describe('palette order and recently used', () => {
  const entries = ['View: Toggle Terminal', 'Share…', 'Go to File…', 'Search: Find in Files', 'Run: Start'].map((label) => ({ id: label, label }))

  test('no query: recently used first, newest first, then alphabetical', () => {
    const ranked = rankPalette(entries, '', ['Run: Start', 'Share…'])
    expect(ranked.map((r) => [r.entry.label, r.recent])).toEqual([
      ['Run: Start', true],
      ['Share…', true],
      ['Go to File…', false],
      ['Search: Find in Files', false],
      ['View: Toggle Terminal', false],
    ])
  })

  test('a query keeps fuzzy matches, best first, recently used still on top', () => {
    expect(rankPalette(entries, 'share', []).map((r) => r.entry.label)).toEqual(['Share…'])
    // Word starts count more: T(oggle) T(erminal) before Run: S(t)ar(t).
    expect(rankPalette(entries, 'tt', []).map((r) => r.entry.label)).toEqual(['View: Toggle Terminal', 'Run: Start'])
    expect(rankPalette(entries, 'fi', []).map((r) => r.entry.label)).toEqual(['Go to File…', 'Search: Find in Files'])
    expect(rankPalette(entries, 'fi', ['Search: Find in Files']).map((r) => r.entry.label)).toEqual(['Search: Find in Files', 'Go to File…'])
    expect(rankPalette(entries, 'zz', [])).toEqual([])
    expect(rankPalette(entries, 'share', [])[0]!.positions).toEqual([0, 1, 2, 3, 4])
  })

  test('the stored list is checked; remembering moves an id to the front and caps the list', () => {
    expect(parseRecent('nope')).toEqual([])
    expect(parseRecent(['a', 3, '', 'b', 'a', null])).toEqual(['a', 'b'])
    expect(rememberRecent(['a', 'b', 'c'], 'c')).toEqual(['c', 'a', 'b'])
    expect(rememberRecent(['a', 'b'], 'z', 2)).toEqual(['z', 'a'])
  })
})
