import { useEffect, useRef } from 'react'
import type { RefObject } from 'react'

/// Keeps keyboard focus inside `root` when the control that held it goes away under the person: a state change
/// removed it (the confirmation that was answered, the link that was revoked) or disabled it. Focus then moves to
/// `fallback()` instead of falling to the page's body, where a keyboard user loses their place and a screen reader
/// falls silent. Focus the person moved elsewhere themselves is left alone.
export function useFocusRescue(root: RefObject<HTMLElement | null>, fallback: () => HTMLElement | null | undefined): void {
  const pick = useRef(fallback)
  pick.current = fallback
  useEffect(() => {
    const el = root.current
    if (!el) return
    let last: HTMLElement | null = el.contains(document.activeElement) ? (document.activeElement as HTMLElement) : null
    const onFocusIn = (e: FocusEvent) => {
      last = e.target instanceof HTMLElement ? e.target : null
    }
    const check = () => {
      if (!last) return
      const gone = !last.isConnected || (last as HTMLButtonElement).disabled === true
      const active = document.activeElement
      // Still where it was, or the person (or a control's own autofocus) put it somewhere that exists.
      if (!gone || (active && active !== document.body && active !== last)) return
      const next = pick.current()
      if (next && next !== last) next.focus()
    }
    const observer = new MutationObserver(check)
    observer.observe(el, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled'] })
    el.addEventListener('focusin', onFocusIn)
    return () => {
      observer.disconnect()
      el.removeEventListener('focusin', onFocusIn)
    }
  }, [root])
}
