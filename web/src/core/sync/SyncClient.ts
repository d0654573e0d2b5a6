import type { Store } from '../store.ts'

export type SyncStatus =
  | { state: 'saved-locally' }
  | { state: 'syncing' }
  | { state: 'synced'; at: number }
  | { state: 'offline'; waiting: boolean }
  | { state: 'error'; message: string; waiting: boolean }

/// Keeps one project's doc in step with the server (the port; `HttpSyncClient` is the adapter).
export interface SyncClient {
  readonly status: Store<SyncStatus>
  /// Syncs now; resolves when this round is done.
  sync(): Promise<void>
  dispose(): void
}
