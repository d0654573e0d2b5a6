import type { ContextKeys, Platform } from '../../core/commands/index.ts'

/// The context keys that belong to the page rather than to one view: `inputFocus` (a text field has focus, so Alt+W
/// and Alt+digits are its own), `isPhone` (the one-pane layout), `isMac`. Returns the function that removes them.
export function provideAppContext(keys: ContextKeys, window: Window, platform: Platform): () => void {
  const phone = window.matchMedia('(max-width: 767px)')
  const undo = [
    keys.provide('inputFocus', () => window.document.activeElement?.tagName === 'INPUT'),
    keys.provide('isPhone', () => phone.matches),
    keys.provide('isMac', platform === 'mac'),
  ]
  return () => undo.forEach((u) => u())
}
