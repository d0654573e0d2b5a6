import { useCallback, useEffect, useRef, useState } from 'react'

/// Copies text to the clipboard and remembers what was copied for two seconds (for a visible "Copied"). When the
/// browser refuses (no permission, an insecure page), `failed` says so and the caller selects the text instead.
export function useCopy(): { copied: string | undefined; failed: string | undefined; copy: (key: string, text: string) => Promise<boolean> } {
  const [copied, setCopied] = useState<string>()
  const [failed, setFailed] = useState<string>()
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined)
  useEffect(() => () => clearTimeout(timer.current), [])
  const copy = useCallback(async (key: string, text: string) => {
    clearTimeout(timer.current)
    try {
      await navigator.clipboard.writeText(text)
      setFailed(undefined)
      setCopied(key)
      timer.current = setTimeout(() => setCopied(undefined), 2000)
      return true
    } catch {
      setCopied(undefined)
      setFailed(key)
      return false
    }
  }, [])
  return { copied, failed, copy }
}
