import type { SyncStatus } from '../../core/sync/SyncClient.ts'
import type { Store } from '../../core/store.ts'
import { useStore } from '../hooks/useStore.ts'

/// A change is a file with edits the server does not have yet (typing a paragraph into one file is one change).
const changes = (n: number) => (n === 1 ? '1 change' : `${n} changes`)

const files = (n: number) => (n === 1 ? '1 file' : `${n} files`)

/// The words for a sync status: "Saved locally", "Syncing…", "Synced", "Offline — N changes waiting",
/// "Sync error: … (Retry)".
export function syncStatusText(s: SyncStatus): string {
  switch (s.state) {
    case 'saved-locally':
      return 'Saved locally'
    case 'syncing':
      return 'Syncing…'
    case 'synced':
      return 'Synced'
    case 'offline':
      return s.waiting > 0 ? `Offline — ${changes(s.waiting)} waiting` : 'Offline'
    case 'error':
      // The quota's own sentence is long: it goes in the title, the pill names the problem.
      return s.quota ? 'Storage limit reached' : `Sync error: ${s.message}`
  }
}

export function SyncStatusPill({ status, onRetry }: { status: Store<SyncStatus>; onRetry: () => void }) {
  const s = useStore(status)
  const title =
    s.state === 'synced'
      ? `Synced with your account at ${new Date(s.at).toLocaleTimeString()}`
      : s.state === 'offline'
        ? `The server cannot be reached. Your edits${s.waiting > 0 ? ` (${files(s.waiting)})` : ''} are saved in this browser and sync when it is back.`
        : s.state === 'error' && s.quota
          ? `${s.message} Your edits are saved in this browser and sync once there is room.`
          : s.state === 'error' && s.waiting > 0
          ? `Edits to ${files(s.waiting)} saved in this browser, waiting to sync`
          : 'Your edits are saved in this browser'
  return (
    <span className={`pill sync-${s.state}`} data-testid="sync.status" data-state={s.state} role="status" title={title}>
      {s.state === 'syncing' && <span className="spinner small" aria-hidden="true" />}
      {syncStatusText(s)}
      {s.state === 'error' && (
        <button className="linklike" onClick={onRetry}>
          Retry
        </button>
      )}
    </span>
  )
}
