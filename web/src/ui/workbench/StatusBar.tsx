import { countProblems } from '../../core/problems/problems.ts'
import { ErrorIcon, WarningIcon } from '../common/icons.tsx'
import type { EditorController } from '../../core/editor/EditorController.ts'
import { modKey } from '../editor/keys.ts'
import { useStore } from '../hooks/useStore.ts'
import { languageName } from './languageNames.ts'
import './statusBar.css'

export interface StatusBarProps {
  readonly editor: EditorController
  /// Opens the Problems panel with the list focused.
  readonly onShowProblems: () => void
  /// Phones: only what fits one row (problems, cursor, language).
  readonly compact: boolean
}

/// VS Code's status bar, thin, at the foot of the workbench: error and warning counts (→ Problems), the cursor
/// (→ go to line), indentation, line endings and the language of the file shown.
export function StatusBar({ editor, onShowProblems, compact }: StatusBarProps) {
  const problems = useStore(editor.problems)
  const cursor = useStore(editor.cursor)
  const { errors, warnings } = countProblems(problems.problems)
  const mod = modKey()
  const counts = `${errors} ${errors === 1 ? 'error' : 'errors'}, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`
  return (
    <footer className="status-bar" data-testid="status.bar">
      <button
        type="button"
        className="status-item"
        data-testid="status.problems"
        data-errors={errors}
        data-warnings={warnings}
        title={`${counts}. Show problems (${mod}+Shift+M)`}
        onClick={onShowProblems}
      >
        <ErrorIcon size={14} className="status-icon" />
        <span data-testid="status.errors">{errors}</span>
        <span className="status-sr">{errors === 1 ? ' error,' : ' errors,'} </span>
        <WarningIcon size={14} className="status-icon" />
        <span data-testid="status.warnings">{warnings}</span>
        <span className="status-sr">{warnings === 1 ? ' warning' : ' warnings'}</span>
        {problems.status === 'checking' && <span className="spinner small" aria-hidden="true" />}
      </button>
      <span className="status-spacer" />
      {cursor && (
        <>
          <button
            type="button"
            className="status-item"
            data-testid="status.cursor"
            title="Go to line (Ctrl+G)"
            onClick={() => editor.goToLine()}
          >
            Ln {cursor.line}, Col {cursor.column}
            {cursor.selected > 0 && !compact ? ` (${cursor.selected} selected)` : ''}
          </button>
          {!compact && (
            <span className="status-item is-text" data-testid="status.indent">
              {cursor.insertSpaces ? `Spaces: ${cursor.tabSize}` : `Tab Size: ${cursor.tabSize}`}
            </span>
          )}
          {!compact && (
            <span className="status-item is-text" data-testid="status.eol">
              {cursor.eol}
            </span>
          )}
          <span className="status-item is-text" data-testid="status.language">
            {languageName(cursor.language)}
          </span>
        </>
      )}
    </footer>
  )
}
