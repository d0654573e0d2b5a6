import { useEffect } from 'react'
import type { AppUpdates } from '../adapters/sw/appUpdates.ts'
import { useStore } from './hooks/useStore.ts'

/// "A new version is ready — Reload" while a new version waits (never applied behind the person's back), and once,
/// after the first install, a note that Slipway now opens without a network.
export function AppUpdateBanner({ updates }: { updates: AppUpdates }) {
  const s = useStore(updates.store)
  useEffect(() => {
    if (!s.offlineReady) return
    const t = setTimeout(() => updates.dismissOfflineReady(), 8000)
    return () => clearTimeout(t)
  }, [s.offlineReady, updates])
  if (s.waiting) {
    return (
      <div className="toast" role="status" data-testid="app.update">
        <span>A new version is ready.</span>
        <button className="btn btn-primary btn-small" onClick={() => updates.reload()} data-testid="app.update-reload">
          Reload
        </button>
      </div>
    )
  }
  if (s.offlineReady) {
    return (
      <div className="toast" role="status" data-testid="app.offline-ready">
        <span>Slipway now works offline on this device.</span>
        <button className="btn btn-ghost btn-small" onClick={() => updates.dismissOfflineReady()} aria-label="Dismiss">
          ✕
        </button>
      </div>
    )
  }
  return null
}
