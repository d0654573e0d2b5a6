import type { DocStoreStatus } from '../../adapters/persistence/DocPersistence.ts'
import type { Store } from '../../core/store.ts'
import { useStore } from '../hooks/useStore.ts'

/// Shown while this browser cannot save the project's edits (full disk, broken database): what happened and what
/// to do. The edits are kept in memory and saving is retried until it works.
export function StoreBanner({ status }: { status: Store<DocStoreStatus> }) {
  const s = useStore(status)
  if (s.state === 'ok') return null
  return (
    <div className="banner banner-error" role="alert" data-testid="store.failing">
      <div>
        <strong>{s.quota ? 'Not saved on this device: storage is full' : 'Not saved on this device'}</strong>
        <div className="banner-detail">{s.message}</div>
      </div>
    </div>
  )
}
