import type { Store } from '../store.ts'

/// What the person sees about a project's sync. `waiting`: local edits the server has not acknowledged yet.
export type SyncStatus =
  | { state: 'saved-locally'; waiting: number }
  | { state: 'syncing'; waiting: number }
  | { state: 'synced'; at: number }
  | { state: 'offline'; waiting: number }
  /// `quota`: the server refused to store more for this account or project (`quota_exceeded`); `message` says which
  /// limit and what to do.
  | { state: 'error'; message: string; waiting: number; quota?: boolean }

/// Keeps one project's doc in step with the server (the port; `HttpSyncClient` is the adapter).
export interface SyncClient {
  readonly status: Store<SyncStatus>
  /// Syncs now; resolves when this round is done.
  sync(): Promise<void>
  /// Syncs now, forgetting any backoff (the person pressed Retry).
  retry(): Promise<void>
  dispose(): void
}
