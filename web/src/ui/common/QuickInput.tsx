import type { KeyboardEvent as ReactKeyboardEvent, ReactNode } from 'react'
import '../quickopen/quickOpen.css'

const PAGE = 8

export interface QuickInputProps {
  /// The dialog's accessible name ("Go to file", "Command palette").
  readonly label: string
  readonly testId: string
  readonly inputTestId: string
  readonly placeholder: string
  readonly value: string
  readonly onChange: (value: string) => void
  /// The id of the listbox the input controls, and of its selected option (none when the list is empty).
  readonly listId: string
  readonly activeId: string | undefined
  readonly count: number
  readonly index: number
  readonly onSelect: (index: number) => void
  readonly onAccept: () => void
  /// Escape, or a press outside.
  readonly onClose: () => void
  /// The listbox.
  readonly children: ReactNode
}

/// VS Code's quick input, as quick open (Ctrl+P) and the command palette (F1) show it: a modal box with one input
/// (a combobox over the listbox given as children); arrows and PageUp/PageDown choose (wrapping), Enter accepts,
/// Escape or a press outside closes, and Tab stays in the input.
export function QuickInput(p: QuickInputProps) {
  const onKeyDown = (e: ReactKeyboardEvent) => {
    const n = p.count
    const move = (i: number) => {
      e.preventDefault()
      p.onSelect(n ? ((i % n) + n) % n : 0)
    }
    switch (e.key) {
      case 'ArrowDown':
        return move(p.index + 1)
      case 'ArrowUp':
        return move(p.index - 1)
      case 'PageDown':
        return move(Math.min(n - 1, p.index + PAGE))
      case 'PageUp':
        return move(Math.max(0, p.index - PAGE))
      case 'Enter':
        e.preventDefault()
        return p.onAccept()
      case 'Escape':
        e.preventDefault()
        e.stopPropagation()
        return p.onClose()
      case 'Tab':
        // The input is the only stop in this dialog.
        e.preventDefault()
        return
    }
  }
  return (
    <div className="quickopen-backdrop" onMouseDown={(e) => e.target === e.currentTarget && p.onClose()} data-testid={p.testId}>
      <div className="quickopen" role="dialog" aria-modal="true" aria-label={p.label}>
        <input
          className="quickopen-input"
          data-testid={p.inputTestId}
          autoFocus
          type="text"
          role="combobox"
          aria-expanded="true"
          aria-controls={p.listId}
          aria-activedescendant={p.activeId}
          aria-autocomplete="list"
          placeholder={p.placeholder}
          spellCheck={false}
          autoComplete="off"
          autoCapitalize="off"
          value={p.value}
          onChange={(e) => p.onChange(e.target.value)}
          onKeyDown={onKeyDown}
        />
        {p.children}
      </div>
    </div>
  )
}
