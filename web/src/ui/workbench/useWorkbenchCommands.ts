import { useServices } from '../services.tsx'
import { useCommandHandler } from '../commands/hooks.ts'
import type { PanelTab } from './BottomPanel.tsx'

interface PanesLayout {
  showSidebar: boolean
  showTerminal: boolean
  sideTab: 'files' | 'search'
}

type Pane = 'files' | 'code' | 'terminal' | 'preview' | 'ai'

export interface WorkbenchCommandActions<L extends PanesLayout> {
  setLayout: (update: (l: L) => L) => void
  setPane: (update: Pane | ((p: Pane) => Pane)) => void
  /// The phone layout: one pane at a time.
  mobile: boolean
  openShell: () => Promise<unknown>
  showPanel: (tab: PanelTab) => void
  showProblems: () => void
  focusEditor: () => void
  focusTerminal: () => void
  openQuickOpen: () => void
  /// Given while quick open is open.
  closeQuickOpen: (() => void) | undefined
  search: (replace: boolean) => void
  share: () => void
  showRunOutput: () => void
}

/// The workbench layout's commands (panes, panels, quick open, search, share), handled while it is mounted. Their
/// keys are in ui/commands/workbenchCommands.ts.
export function useWorkbenchCommands<L extends PanesLayout>(a: WorkbenchCommandActions<L>): void {
  const { contextKeys } = useServices()
  const hidePanel = () => {
    a.setLayout((l) => ({ ...l, showTerminal: false }))
    if (a.mobile) a.setPane('code')
    a.focusEditor()
  }
  useCommandHandler('workbench.action.toggleSidebarVisibility', () => {
    a.setLayout((l) => ({ ...l, showSidebar: !l.showSidebar }))
    if (a.mobile) a.setPane((p) => (p === 'files' ? 'code' : 'files'))
  })
  useCommandHandler('workbench.view.explorer', () => {
    a.setLayout((l) => ({ ...l, showSidebar: true, sideTab: 'files' }))
    if (a.mobile) a.setPane('files')
  })
  useCommandHandler('workbench.action.terminal.toggleTerminal', () => {
    if (contextKeys.get('terminalPanelFocus')) return hidePanel()
    a.showPanel('terminal')
    a.focusTerminal()
  })
  useCommandHandler('workbench.action.terminal.new', () => {
    a.showPanel('terminal')
    a.openShell().catch((err: unknown) => console.error('could not open a terminal', err))
  })
  useCommandHandler('workbench.actions.view.problems', () => (contextKeys.get('problemsFocus') ? hidePanel() : a.showProblems()))
  useCommandHandler('workbench.action.quickOpen', a.openQuickOpen)
  useCommandHandler('workbench.action.closeQuickOpen', a.closeQuickOpen)
  useCommandHandler('workbench.action.findInFiles', () => a.search(false))
  useCommandHandler('workbench.action.replaceInFiles', () => a.search(true))
  useCommandHandler('slipway.share', a.share)
  useCommandHandler('slipway.run.showOutput', a.showRunOutput)
  useCommandHandler('workbench.action.focusActiveEditorGroup', () => {
    if (a.mobile) a.setPane('code')
    a.focusEditor()
  })
}
