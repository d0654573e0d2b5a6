import { useCallback, useEffect, useRef, useState } from 'react'
import { copyText } from '../common/clipboard.ts'

/// Copies text to the clipboard and remembers what was copied for two seconds (for a visible "Copied"). Where the
/// Clipboard API is missing or refused (a plain-http address other than localhost, no permission) the copy goes
/// through `copyText`'s fallback; only when that fails too does `failed` say so, and the caller selects the text.
export function useCopy(): { copied: string | undefined; failed: string | undefined; copy: (key: string, text: string) => Promise<boolean> } {
  const [copied, setCopied] = useState<string>()
  const [failed, setFailed] = useState<string>()
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined)
  useEffect(() => () => clearTimeout(timer.current), [])
  const copy = useCallback(async (key: string, text: string) => {
    clearTimeout(timer.current)
    // The fallback selects a scratch textarea: focus goes back to the control that asked.
    const from = document.activeElement instanceof HTMLElement ? document.activeElement : null
    const ok = await copyText(text, () => from?.focus())
    if (!ok) {
      setCopied(undefined)
      setFailed(key)
      return false
    }
    setFailed(undefined)
    setCopied(key)
    timer.current = setTimeout(() => setCopied(undefined), 2000)
    return true
  }, [])
  return { copied, failed, copy }
}
