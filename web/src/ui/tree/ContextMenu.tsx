import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { KeyboardEvent as ReactKeyboardEvent } from 'react'

export interface MenuItem {
  /// Also the test id: `menu.<id>`.
  id: string
  label: string
  /// Shown right-aligned, e.g. "F2".
  keys?: string
  danger?: boolean
  /// Draws a separator above this item.
  separated?: boolean
  run: () => void
}

export interface ContextMenuProps {
  items: readonly MenuItem[]
  /// Viewport coordinates of the pointer or of the element the menu belongs to.
  x: number
  y: number
  label: string
  /// Closes without running anything (Escape, Tab, a click elsewhere). Focus handling is the caller's.
  onClose: () => void
}

/// A popup menu (WAI-ARIA menu pattern): opens with the first item focused, ↑/↓/Home/End move, Enter/Space run,
/// Escape/Tab/a click outside close. Kept inside the viewport.
export function ContextMenu({ items, x, y, label, onClose }: ContextMenuProps) {
  const ref = useRef<HTMLDivElement>(null)
  const [pos, setPos] = useState({ left: x, top: y })

  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    const { width, height } = el.getBoundingClientRect()
    const margin = 4
    setPos({
      left: Math.max(margin, Math.min(x, window.innerWidth - width - margin)),
      top: y + height + margin > window.innerHeight ? Math.max(margin, y - height) : y,
    })
    el.querySelector<HTMLElement>('[role="menuitem"]')?.focus()
  }, [x, y])

  useEffect(() => {
    const onPointer = (e: PointerEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) onClose()
    }
    const onBlur = () => onClose()
    document.addEventListener('pointerdown', onPointer, true)
    window.addEventListener('blur', onBlur)
    window.addEventListener('resize', onBlur)
    return () => {
      document.removeEventListener('pointerdown', onPointer, true)
      window.removeEventListener('blur', onBlur)
      window.removeEventListener('resize', onBlur)
    }
  }, [onClose])

  const onKeyDown = (e: ReactKeyboardEvent) => {
    const buttons = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])]
    const i = buttons.indexOf(document.activeElement as HTMLElement)
    const focus = (j: number) => {
      e.preventDefault()
      buttons[(j + buttons.length) % buttons.length]?.focus()
    }
    switch (e.key) {
      case 'ArrowDown':
        return focus(i + 1)
      case 'ArrowUp':
        return focus(i - 1)
      case 'Home':
        return focus(0)
      case 'End':
        return focus(buttons.length - 1)
      case 'Escape':
      case 'Tab':
        e.preventDefault()
        e.stopPropagation()
        return onClose()
      default:
        if (e.key.length === 1 && /\S/.test(e.key)) {
          const c = e.key.toLowerCase()
          const start = i + 1
          for (let k = 0; k < buttons.length; k++) {
            const b = buttons[(start + k) % buttons.length]!
            if (b.textContent?.trim().toLowerCase().startsWith(c)) return focus((start + k) % buttons.length)
          }
        }
    }
  }

  return (
    <div
      ref={ref}
      className="context-menu"
      role="menu"
      aria-label={label}
      style={{ left: pos.left, top: pos.top }}
      onKeyDown={onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
      data-testid="menu"
    >
      {items.map((item) => (
        <div key={item.id} role="none">
          {item.separated && <div className="context-menu-sep" role="separator" />}
          <button
            type="button"
            role="menuitem"
            tabIndex={-1}
            className="context-menu-item"
            data-danger={item.danger ? 'true' : undefined}
            data-testid={`menu.${item.id}`}
            onClick={() => item.run()}
          >
            <span>{item.label}</span>
            {item.keys && <span className="context-menu-keys">{item.keys}</span>}
          </button>
        </div>
      ))}
    </div>
  )
}
