import type { KeyEventLike } from '../../core/commands/index.ts'

/// What the terminal does with a key event, decided before xterm sees it. Pure: the view performs the action.
///
/// - `copy`: copy the selection to the clipboard (and keep the key from the process).
/// - `paste`: let the browser paste (its `paste` event reaches xterm, which handles bracketed paste); the key itself
///   must not reach the process (Ctrl+V would otherwise send `\x16`).
/// - `workbench`: a workbench shortcut (run, stop, new terminal); xterm ignores it so it bubbles to the page.
/// - `pass`: xterm handles it as usual (Ctrl+C with nothing selected sends `\x03` to the process).
export type TerminalKeyAction = 'copy' | 'paste' | 'workbench' | 'pass'

/// The parts of a `KeyboardEvent` the decision reads.
export type KeyLike = KeyEventLike

export interface KeyContext {
  /// Text is selected in the terminal.
  readonly hasSelection: boolean
  /// macOS: Cmd+C / Cmd+V are the clipboard keys (xterm handles them), so Ctrl+C always reaches the process.
  readonly mac: boolean
}

// Matching on `code` as well keeps the shortcuts working on non-Latin keyboard layouts, where `key` is another letter.
const is = (e: KeyLike, letter: string) => e.key.toLowerCase() === letter || e.code === `Key${letter.toUpperCase()}`

export function terminalKeyAction(e: KeyLike, ctx: KeyContext): TerminalKeyAction {
  if (e.key === 'F5') return 'workbench'
  if (e.code === 'Backquote' && e.ctrlKey && !e.altKey && !e.metaKey) return 'workbench'
  if (ctx.mac || e.altKey || e.metaKey) return 'pass'
  if (e.ctrlKey && is(e, 'c')) {
    if (e.shiftKey) return 'copy'
    return ctx.hasSelection ? 'copy' : 'pass'
  }
  if (e.ctrlKey && is(e, 'v')) return 'paste'
  if (e.key === 'Insert' && e.shiftKey && !e.ctrlKey) return 'paste'
  if (e.key === 'Insert' && e.ctrlKey && !e.shiftKey && ctx.hasSelection) return 'copy'
  return 'pass'
}

/// Whether this platform uses Cmd for the clipboard keys.
export function isMacPlatform(nav: { platform?: string; userAgent?: string } | undefined): boolean {
  if (!nav) return false
  return /Mac|iPhone|iPad|iPod/.test(nav.platform || nav.userAgent || '')
}
