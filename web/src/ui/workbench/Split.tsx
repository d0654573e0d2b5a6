import { useRef } from 'react'
import type { KeyboardEvent, PointerEvent } from 'react'

/// A draggable, keyboard-resizable divider between two panes. `size` is the pane's size in px on the side the
/// divider belongs to; `invert` for panes measured from the right or bottom.
export function Splitter({
  orientation,
  size,
  min,
  max,
  invert = false,
  onResize,
  label,
}: {
  orientation: 'vertical' | 'horizontal'
  size: number
  min: number
  max: number
  invert?: boolean
  onResize: (size: number) => void
  label: string
}) {
  const start = useRef<{ pos: number; size: number } | null>(null)
  const clamp = (v: number) => Math.round(Math.max(min, Math.min(max, v)))
  const pos = (e: PointerEvent) => (orientation === 'vertical' ? e.clientX : e.clientY)
  return (
    <div
      className={`splitter splitter-${orientation}`}
      role="separator"
      aria-orientation={orientation}
      aria-label={label}
      aria-valuenow={size}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId)
        start.current = { pos: pos(e), size }
        document.body.classList.add('resizing')
      }}
      onPointerMove={(e) => {
        if (!start.current) return
        const delta = (pos(e) - start.current.pos) * (invert ? -1 : 1)
        onResize(clamp(start.current.size + delta))
      }}
      onPointerUp={(e) => {
        e.currentTarget.releasePointerCapture(e.pointerId)
        start.current = null
        document.body.classList.remove('resizing')
      }}
      onKeyDown={(e: KeyboardEvent) => {
        const step = e.shiftKey ? 50 : 10
        const grow = orientation === 'vertical' ? ['ArrowRight', 'ArrowLeft'] : ['ArrowDown', 'ArrowUp']
        const i = grow.indexOf(e.key)
        if (i < 0) return
        e.preventDefault()
        onResize(clamp(size + (i === 0 ? step : -step) * (invert ? -1 : 1)))
      }}
    />
  )
}
