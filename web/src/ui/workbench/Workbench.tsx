import { ScratchPanel } from '../editor/ScratchPanel.tsx'
import { EmptyState } from './EmptyState.tsx'

/// The area below the top bar. With no project open it shows the empty state and a scratch editor.
export function Workbench() {
  return (
    <main className="workbench" data-testid="app.workbench">
      <EmptyState />
      <ScratchPanel />
    </main>
  )
}
