import { useEffect } from 'react'
import type { RunController } from '../../core/run/RunController.ts'
import { runShortcut } from './shortcuts.ts'

/// Installs the run keys on `window` while mounted: F5 runs (restarts when running), Shift+F5 stops,
/// Ctrl+Shift+F5 / Cmd+Shift+F5 restarts. Listens in the capture phase so editors and terminals cannot swallow
/// the keys; F5's default (reloading the page) is prevented.
export function useRunShortcuts(run: RunController): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = runShortcut(e)
      if (!action) return
      e.preventDefault()
      if (action === 'stop') run.stop()
      else void run.start()
    }
    window.addEventListener('keydown', onKey, true)
    return () => window.removeEventListener('keydown', onKey, true)
  }, [run])
}
