import type { SyncStatus } from '../../core/sync/SyncClient.ts'
import type { Store } from '../../core/store.ts'
import { useStore } from '../hooks/useStore.ts'

/// "Saved locally" / "Syncing…" / "Synced" / "Offline — changes waiting" / "Sync error (Retry)".
export function SyncStatusPill({ status, onRetry }: { status: Store<SyncStatus>; onRetry: () => void }) {
  const s = useStore(status)
  const text =
    s.state === 'saved-locally'
      ? 'Saved locally'
      : s.state === 'syncing'
        ? 'Syncing…'
        : s.state === 'synced'
          ? 'Synced'
          : s.state === 'offline'
            ? 'Offline — changes waiting'
            : `Sync error: ${s.message}`
  return (
    <span className={`pill sync-${s.state}`} data-testid="sync.status" data-state={s.state} role="status">
      {text}
      {s.state === 'error' && (
        <button className="linklike" onClick={onRetry}>
          Retry
        </button>
      )}
    </span>
  )
}
