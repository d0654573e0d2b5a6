import { useEffect, useId, useRef } from 'react'
import type { ReactNode } from 'react'

export interface ConfirmDialogProps {
  title: string
  children?: ReactNode
  confirmLabel: string
  danger?: boolean
  onConfirm: () => void
  onCancel: () => void
}

/// A modal confirmation on the native <dialog> (top layer, inert page behind it, Escape cancels). Focus starts on
/// Cancel — the safe choice for destructive actions — and returns to where it was when the dialog closes.
export function ConfirmDialog({ title, children, confirmLabel, danger, onConfirm, onCancel }: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null)
  const cancelRef = useRef<HTMLButtonElement>(null)
  const titleId = useId()
  const bodyId = useId()

  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    const previous = document.activeElement as HTMLElement | null
    if (!dialog.open) dialog.showModal()
    cancelRef.current?.focus()
    return () => {
      if (dialog.open) dialog.close()
      previous?.focus?.()
    }
  }, [])

  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      aria-labelledby={titleId}
      aria-describedby={children ? bodyId : undefined}
      data-testid="dialog"
      onCancel={(e) => {
        e.preventDefault()
        onCancel()
      }}
      onMouseDown={(e) => {
        // A press on the backdrop (outside the dialog box) cancels.
        if (e.target === e.currentTarget) {
          const r = e.currentTarget.getBoundingClientRect()
          if (e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom) onCancel()
        }
      }}
    >
      <h2 className="confirm-title" id={titleId}>
        {title}
      </h2>
      {children && (
        <div className="confirm-body" id={bodyId}>
          {children}
        </div>
      )}
      <div className="confirm-actions">
        <button type="button" className="confirm-btn" ref={cancelRef} onClick={onCancel} data-testid="dialog.cancel">
          Cancel
        </button>
        <button type="button" className="confirm-btn confirm-primary" data-danger={danger ? 'true' : undefined} onClick={onConfirm} data-testid="dialog.confirm">
          {confirmLabel}
        </button>
      </div>
    </dialog>
  )
}
