import { describe, expect, test } from 'vitest'
import { CommandRegistry, ContextKeys, keyStrokeFromEvent, type KeyEventLike, type Platform } from '../../core/commands/index.ts'
import { declareWorkbenchCommands, WORKBENCH_COMMANDS } from './workbenchCommands.ts'

// The workbench's catalog through the real registry: what a key press does where, as the keydown layer asks it.

function workbench(platform: Platform = 'other') {
  const registry = new CommandRegistry(platform)
  declareWorkbenchCommands(registry)
  for (const c of WORKBENCH_COMMANDS) registry.registerHandler(c.id, () => {})
  const context = new ContextKeys()
  context.provide('openEditorCount', 3)
  const press = (e: Partial<KeyEventLike> & { key: string; code: string }) => {
    const stroke = keyStrokeFromEvent({ ctrlKey: false, shiftKey: false, altKey: false, metaKey: false, ...e }, platform)
    if (!stroke) return undefined
    const r = registry.resolve([stroke], context)
    return r.kind === 'command' ? r.binding.rule.command : r.kind
  }
  return { registry, context, press }
}

test('every command has a title and unique id, and every key parses (declaring throws otherwise)', () => {
  const { registry } = workbench()
  expect(new Set(WORKBENCH_COMMANDS.map((c) => c.id)).size).toBe(WORKBENCH_COMMANDS.length)
  expect(registry.keybindings().length).toBeGreaterThan(20)
  expect(() => workbench('mac')).not.toThrow()
})

describe('share: Ctrl+Alt+S (⌃⌥S on macOS), never AltGr typing', () => {
  test.each([
    { name: 'Ctrl+Alt+S', e: { key: 's', code: 'KeyS', ctrlKey: true, altKey: true }, platform: 'other', share: true },
    { name: 'with Caps Lock', e: { key: 'S', code: 'KeyS', ctrlKey: true, altKey: true }, platform: 'other', share: true },
    { name: '⌃⌥S on macOS (key reads ß)', e: { key: 'ß', code: 'KeyS', ctrlKey: true, altKey: true }, platform: 'mac', share: true },
    { name: 'AltGr+S typing ś (Polish)', e: { key: 'ś', code: 'KeyS', ctrlKey: true, altKey: true }, platform: 'other', share: false },
    { name: 'Ctrl+S', e: { key: 's', code: 'KeyS', ctrlKey: true }, platform: 'other', share: false },
    { name: 'Ctrl+Alt+Shift+S', e: { key: 'S', code: 'KeyS', ctrlKey: true, altKey: true, shiftKey: true }, platform: 'other', share: false },
    { name: '⌘⌥S', e: { key: 's', code: 'KeyS', metaKey: true, altKey: true }, platform: 'mac', share: false },
  ] as const)('$name → $share', ({ e, platform, share }) => {
    expect(workbench(platform).press(e) === 'slipway.share').toBe(share)
  })
})

test('run keys: F5 starts, Shift+F5 stops, Ctrl+Shift+F5 (⌘⇧F5) restarts; other modifiers do nothing', () => {
  const { press } = workbench()
  expect(press({ key: 'F5', code: 'F5' })).toBe('slipway.run.start')
  expect(press({ key: 'F5', code: 'F5', shiftKey: true })).toBe('slipway.run.stop')
  expect(press({ key: 'F5', code: 'F5', ctrlKey: true, shiftKey: true })).toBe('slipway.run.restart')
  expect(workbench('mac').press({ key: 'F5', code: 'F5', metaKey: true, shiftKey: true })).toBe('slipway.run.restart')
  expect(press({ key: 'F5', code: 'F5', ctrlKey: true })).toBe('none')
  expect(press({ key: 'F5', code: 'F5', altKey: true })).toBe('none')
  expect(press({ key: 'F6', code: 'F6' })).toBe('none')
})

test('Alt+W and Alt+digits are the editor tabs’ except in a terminal, the search view and text fields', () => {
  const { press, context } = workbench()
  expect(press({ key: 'w', code: 'KeyW', altKey: true })).toBe('workbench.action.closeActiveEditor')
  expect(press({ key: '3', code: 'Digit3', altKey: true })).toBe('workbench.action.openEditorAtIndex3')
  // Only three tabs: Alt+4 is left alone.
  expect(press({ key: '4', code: 'Digit4', altKey: true })).toBe('none')
  expect(press({ key: '9', code: 'Digit9', altKey: true })).toBe('workbench.action.lastEditorInGroup')
  for (const key of ['terminalFocus', 'searchViewFocus', 'inputFocus']) {
    const release = context.claim(key)
    expect(press({ key: 'w', code: 'KeyW', altKey: true }), key).toBe('none')
    expect(press({ key: '1', code: 'Digit1', altKey: true }), key).toBe('none')
    // Ctrl+Tab still switches tabs there.
    expect(press({ key: 'Tab', code: 'Tab', ctrlKey: true }), key).toBe('workbench.action.nextEditor')
    release()
  }
})

test('no tab open: the tab keys reach the page', () => {
  const { press, context } = workbench()
  context.provide('openEditorCount', 0)
  expect(press({ key: 'Tab', code: 'Tab', ctrlKey: true })).toBe('none')
  expect(press({ key: 'w', code: 'KeyW', altKey: true })).toBe('none')
})

test('Ctrl+G: the editor text and the rest of the workbench, not a terminal, a dialog or the editor’s own widgets', () => {
  const { press, context } = workbench()
  const g = { key: 'g', code: 'KeyG', ctrlKey: true }
  expect(press(g)).toBe('workbench.action.gotoLine')
  const widget = context.claim('editorFocus')
  expect(press(g)).toBe('none')
  const text = context.claim('editorTextFocus')
  expect(press(g)).toBe('workbench.action.gotoLine')
  text()
  widget()
  for (const key of ['terminalFocus', 'dialogFocus']) {
    const release = context.claim(key)
    expect(press(g), key).toBe('none')
    release()
  }
})

test('the palette opens from anywhere but a modal dialog; Ctrl+K Ctrl+S is a chord outside the editor and terminal', () => {
  const { press, context } = workbench()
  expect(press({ key: 'F1', code: 'F1' })).toBe('workbench.action.showCommands')
  expect(press({ key: 'P', code: 'KeyP', ctrlKey: true, shiftKey: true })).toBe('workbench.action.showCommands')
  for (const key of ['editorFocus', 'terminalFocus', 'treeFocus']) {
    const release = context.claim(key)
    expect(press({ key: 'F1', code: 'F1' }), key).toBe('workbench.action.showCommands')
    expect(press({ key: 'k', code: 'KeyK', ctrlKey: true }), key).toBe(key === 'treeFocus' ? 'prefix' : 'none')
    release()
  }
  const dialog = context.claim('dialogOpen')
  expect(press({ key: 'F1', code: 'F1' })).toBe('none')
  dialog()
})

test('the code editor keeps its own keys: nothing here binds Ctrl+F, Ctrl+H, Ctrl+= or F12', () => {
  const { press, context } = workbench()
  context.claim('editorFocus')
  context.claim('editorTextFocus')
  expect(press({ key: 'f', code: 'KeyF', ctrlKey: true })).toBe('none')
  expect(press({ key: 'h', code: 'KeyH', ctrlKey: true })).toBe('none')
  expect(press({ key: '=', code: 'Equal', ctrlKey: true })).toBe('none')
  expect(press({ key: 'F12', code: 'F12' })).toBe('none')
  expect(press({ key: 'c', code: 'KeyC', ctrlKey: true })).toBe('none')
})

test('the assistant: Ctrl+Alt+I (⌃⌘I) opens it; Escape in its panel stops an answer, else closes the panel; Ctrl+L starts a new conversation there', () => {
  const { press, context } = workbench()
  expect(press({ key: 'i', code: 'KeyI', ctrlKey: true, altKey: true })).toBe('workbench.action.chat.open')
  expect(workbench('mac').press({ key: 'i', code: 'KeyI', ctrlKey: true, metaKey: true })).toBe('workbench.action.chat.open')
  // Outside the panel Escape and Ctrl+L are someone else's.
  expect(press({ key: 'Escape', code: 'Escape' })).toBe('none')
  expect(press({ key: 'l', code: 'KeyL', ctrlKey: true })).toBe('none')
  const focus = context.claim('aiPanelFocus')
  expect(press({ key: 'Escape', code: 'Escape' })).toBe('slipway.ai.close')
  expect(press({ key: 'l', code: 'KeyL', ctrlKey: true })).toBe('workbench.action.chat.newChat')
  const active = context.claim('aiTurnActive')
  expect(press({ key: 'Escape', code: 'Escape' })).toBe('workbench.action.chat.cancel')
  // No new conversation while one answers.
  expect(press({ key: 'l', code: 'KeyL', ctrlKey: true })).toBe('none')
  // A modal dialog keeps its own Escape.
  const dialog = context.claim('dialogOpen')
  expect(press({ key: 'Escape', code: 'Escape' })).toBe('none')
  dialog()
  active()
  focus()
})
