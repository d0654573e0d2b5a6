import type { Store } from '../store.ts'

/// What the person sees about a project's sync. `waiting`: local edits the server has not acknowledged yet.
export type SyncStatus =
  | { state: 'saved-locally'; waiting: number }
  | { state: 'syncing'; waiting: number }
  | { state: 'synced'; at: number }
  | { state: 'offline'; waiting: number }
  | { state: 'error'; message: string; waiting: number }

/// Keeps one project's doc in step with the server (the port; `HttpSyncClient` is the adapter).
export interface SyncClient {
  readonly status: Store<SyncStatus>
  /// Syncs now; resolves when this round is done.
  sync(): Promise<void>
  /// Syncs now, forgetting any backoff (the person pressed Retry).
  retry(): Promise<void>
  dispose(): void
}
