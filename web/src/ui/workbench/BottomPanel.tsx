import type { ReactNode } from 'react'
import { countProblems } from '../../core/problems/problems.ts'
import type { Store } from '../../core/store.ts'
import type { ProblemsState } from '../../core/editor/EditorController.ts'
import { useStore } from '../hooks/useStore.ts'
import './bottomPanel.css'

export type PanelTab = 'problems' | 'terminal'

export interface BottomPanelProps {
  readonly tab: PanelTab
  readonly onTab: (tab: PanelTab) => void
  readonly problems: Store<ProblemsState>
  readonly problemsPanel: ReactNode
  readonly terminalPanel: ReactNode
}

const TABS: ReadonlyArray<{ id: PanelTab; label: string; keys: string }> = [
  { id: 'problems', label: 'Problems', keys: 'Ctrl+Shift+M' },
  { id: 'terminal', label: 'Terminal', keys: 'Ctrl+`' },
]

/// The panel under the editor, as VS Code's: PROBLEMS | TERMINAL. Both stay mounted (the terminals keep their
/// xterm), the other one hidden. ←/→ move between the two tabs.
export function BottomPanel({ tab, onTab, problems, problemsPanel, terminalPanel }: BottomPanelProps) {
  const { errors, warnings, infos } = countProblems(useStore(problems, (s) => s.problems))
  const total = errors + warnings + infos
  return (
    <div className="bottom-panel" data-testid="panel">
      <div className="panel-tabs" role="tablist" aria-label="Panel">
        {TABS.map(({ id, label, keys }) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`panel-tab-${id}`}
            aria-controls={`panel-${id}`}
            aria-selected={tab === id}
            tabIndex={tab === id ? 0 : -1}
            className="panel-tab"
            data-testid={`panel.${id}`}
            title={`${label} (${keys})`}
            onClick={() => onTab(id)}
            onKeyDown={(e) => {
              if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return
              e.preventDefault()
              const next = TABS[(TABS.findIndex((t) => t.id === id) + 1) % TABS.length]!.id
              onTab(next)
              requestAnimationFrame(() => document.getElementById(`panel-tab-${next}`)?.focus())
            }}
          >
            {label}
            {id === 'problems' && total > 0 && ' '}
            {id === 'problems' && total > 0 && (
              <span className="panel-count" data-testid="panel.problems-count">
                {total}
              </span>
            )}
          </button>
        ))}
      </div>
      <div className="panel-body" id="panel-problems" role="tabpanel" aria-labelledby="panel-tab-problems" hidden={tab !== 'problems'}>
        {problemsPanel}
      </div>
      <div className="panel-body" id="panel-terminal" role="tabpanel" aria-labelledby="panel-tab-terminal" hidden={tab !== 'terminal'}>
        {terminalPanel}
      </div>
    </div>
  )
}
