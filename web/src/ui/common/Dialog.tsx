import { useEffect, useRef } from 'react'
import type { KeyboardEvent as ReactKeyboardEvent, ReactNode } from 'react'
import { useContextClaim } from '../commands/hooks.ts'

/// An accessible modal: focus moves in and is trapped, Escape closes, focus returns to where it was.
export function Dialog({ title, onClose, children, testId, className }: { title: string; onClose: () => void; children: ReactNode; testId?: string; className?: string }) {
  const ref = useRef<HTMLDivElement>(null)
  // The latest onClose, read when needed: a parent that passes a new function on each render must not re-run the
  // effect, which would move focus back to the first control (and to wherever it was before) at every re-render.
  const close = useRef(onClose)
  close.current = onClose
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null
    const el = ref.current
    const first = el?.querySelector<HTMLElement>('input, button, select, textarea, [tabindex]:not([tabindex="-1"])')
    first?.focus()
    return () => {
      // Back to where it was, unless the action that closed the dialog put focus somewhere on purpose (the Share
      // dialog's "open this file at this line" focuses the editor before the dialog goes away).
      const now = document.activeElement
      if (now && now !== document.body && !el?.contains(now)) return
      previous?.focus?.()
    }
  }, [])
  // Modal: the workbench's keys that must not reach behind it (F1, Ctrl+G…) say `!dialogOpen` / `!dialogFocus`.
  useContextClaim('dialogOpen')
  useContextClaim('dialogFocus')
  // Focus stays inside (trapped), so the dialog's own keys are its element's.
  const onKeyDown = (e: ReactKeyboardEvent) => {
    const el = ref.current
    if (e.key === 'Escape') {
      e.stopPropagation()
      close.current()
    } else if (e.key === 'Tab' && el) {
      const items = [...el.querySelectorAll<HTMLElement>('input, button, select, textarea, a[href], [tabindex]:not([tabindex="-1"])')].filter((i) => !i.hasAttribute('disabled'))
      if (!items.length) return
      const [head, tail] = [items[0]!, items[items.length - 1]!]
      if (e.shiftKey && document.activeElement === head) {
        e.preventDefault()
        tail.focus()
      } else if (!e.shiftKey && document.activeElement === tail) {
        e.preventDefault()
        head.focus()
      }
    }
  }
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className={className ? `dialog ${className}` : 'dialog'} role="dialog" aria-modal="true" aria-label={title} ref={ref} data-testid={testId} onKeyDown={onKeyDown}>
        <h2 className="dialog-title">{title}</h2>
        {children}
      </div>
    </div>
  )
}
