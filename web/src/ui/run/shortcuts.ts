/// Run shortcuts, VS Code's debug keys: F5 runs (or restarts a running project), Shift+F5 stops, Ctrl+Shift+F5
/// (Cmd+Shift+F5 on macOS) restarts.
export type RunShortcut = 'start' | 'stop' | 'restart'

export interface ShortcutKey {
  readonly key: string
  readonly ctrlKey: boolean
  readonly shiftKey: boolean
  readonly altKey: boolean
  readonly metaKey: boolean
  readonly repeat: boolean
}

export function runShortcut(e: ShortcutKey): RunShortcut | undefined {
  if (e.key !== 'F5' || e.repeat || e.altKey) return undefined
  const mod = e.ctrlKey || e.metaKey
  if (mod && e.shiftKey) return 'restart'
  if (mod) return undefined
  return e.shiftKey ? 'stop' : 'start'
}

/// Human-readable labels for tooltips.
export const RUN_SHORTCUT_LABELS: Record<RunShortcut, string> = { start: 'F5', stop: 'Shift+F5', restart: 'Ctrl+Shift+F5' }
