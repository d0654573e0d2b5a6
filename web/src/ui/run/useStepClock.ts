import { useEffect, useState } from 'react'

/// Milliseconds since `key` last changed, re-rendering every `tickMs` while `running`. The key names the step in
/// progress (e.g. `running:installing`), so each step's clock starts at zero.
export function useStepClock(key: string, running: boolean, tickMs = 100): number {
  const [since, setSince] = useState(() => ({ key, at: performance.now() }))
  const [now, setNow] = useState(() => performance.now())
  if (since.key !== key) {
    const at = performance.now()
    setSince({ key, at })
    setNow(at)
  }
  useEffect(() => {
    if (!running) return
    const id = window.setInterval(() => setNow(performance.now()), tickMs)
    return () => window.clearInterval(id)
  }, [running, tickMs, key])
  return Math.max(0, now - since.at)
}
