import type { RunController } from '../../core/run/RunController.ts'
import { useCommandHandler } from '../commands/hooks.ts'

/// The run commands while mounted (the workbench, a share link's viewer): Start (F5; restarts a running project),
/// Stop (Shift+F5), Restart (Ctrl+Shift+F5, ⌘⇧F5 on macOS). F5's default, reloading the page, never happens.
export function useRunCommands(run: RunController): void {
  useCommandHandler('slipway.run.start', () => void run.start())
  useCommandHandler('slipway.run.stop', () => run.stop())
  useCommandHandler('slipway.run.restart', () => void run.start())
}
