import { SecretsFoundDetailsSchema, toBase64Url } from '@slipway/shared'
import type { PublishResponse, PublishedVersion, SecretFinding, ShareLink } from '@slipway/shared'
import * as Y from 'yjs'
import { Store } from '../store.ts'
import type { SyncStatus } from '../sync/SyncClient.ts'
import type { Store as ReadStore } from '../store.ts'
import { shareFailureMessage, sortFindings } from './shareView.ts'
import type { ShareApiResult } from './shareView.ts'

/// The share calls of the HTTP API (ApiClient implements them).
export interface ShareApi {
  listShares(projectId: string): Promise<ShareApiResult<ShareLink[]>>
  /// A new link with version 1 (no `linkId`), or the next version of `linkId`.
  publishShare(projectId: string, stateVector: string, linkId?: string): Promise<ShareApiResult<PublishResponse>>
  revokeShare(projectId: string, linkId: string): Promise<ShareApiResult<undefined>>
}

/// The part of the sync client publishing needs: push pending edits now, and what state that left.
export interface ShareSync {
  readonly status: ReadStore<SyncStatus>
  sync(): Promise<void>
  retry(): Promise<void>
}

export interface ProjectSharesDeps {
  projectId: string
  api: ShareApi
  /// The editor's doc: its state vector says what a version must contain.
  doc: Y.Doc
  sync: ShareSync
  /// False when the browser is certainly offline.
  online: () => boolean
}

/// Where publishing is. `target`: the link a new version goes to (`undefined`: a new link).
export type PublishState =
  | { phase: 'idle' }
  | { phase: 'syncing'; target: string | undefined }
  | { phase: 'publishing'; target: string | undefined }
  /// The server still lacks edits the editor shows after a sync and a retry: the person chooses.
  | { phase: 'stale'; target: string | undefined }
  /// Waiting for the sync client to reach Synced, then publishing.
  | { phase: 'waiting'; target: string | undefined }
  | { phase: 'secrets'; target: string | undefined; findings: SecretFinding[]; total: number }
  | { phase: 'failed'; target: string | undefined; message: string; offline: boolean }
  /// `behind`: the person chose Publish anyway, so the version lacks edits the editor shows.
  | { phase: 'published'; linkId: string; version: PublishedVersion; behind?: boolean }

export type LinksState = { phase: 'loading' } | { phase: 'ready'; links: ShareLink[] } | { phase: 'failed'; message: string }

export interface SharesState {
  links: LinksState
  publish: PublishState
  /// The link being revoked, and what went wrong with the last revoke.
  revoking?: string | undefined
  revokeError?: string | undefined
}

// A state vector naming nothing: "publish whatever the server holds" (Publish anyway).
const EMPTY_STATE_VECTOR = toBase64Url(new Uint8Array([0]))

/// A project's share links for its owner: loads them, publishes versions (pushing the editor's edits first, and never
/// publishing something older than the editor shows without the person choosing it), revokes. Owns its subscriptions;
/// `dispose` ends them.
export class ProjectShares {
  readonly store = new Store<SharesState>({ links: { phase: 'loading' }, publish: { phase: 'idle' } })
  /// The project's sync status: whether the editor holds edits the server lacks.
  readonly syncStatus: ReadStore<SyncStatus>
  private unwait: (() => void) | undefined
  private disposed = false
  private run = 0

  constructor(private readonly deps: ProjectSharesDeps) {
    this.syncStatus = deps.sync.status
  }

  /// Loads the project's links (newest first).
  async refresh(): Promise<void> {
    const res = await this.deps.api.listShares(this.deps.projectId)
    if (this.disposed) return
    this.store.update((s) => ({
      ...s,
      links: res.ok ? { phase: 'ready', links: sortLinks(res.value) } : s.links.phase === 'ready' ? s.links : { phase: 'failed', message: shareFailureMessage(res, 'list') },
    }))
  }

  /// Publishes a version: at `target` (Publish again), or at a new link. Pushes the editor's pending edits first and
  /// sends the doc's state vector; if the server still lacks some, syncs and tries once more, then asks.
  async publish(target?: string): Promise<void> {
    const run = this.begin()
    if (!this.deps.online()) return this.fail(target, { ok: false, kind: 'network', message: 'offline' })
    this.setPublish({ phase: 'syncing', target })
    await this.deps.sync.sync().catch(() => {})
    if (!this.current(run)) return
    this.setPublish({ phase: 'publishing', target })
    let res = await this.send(target)
    if (!this.current(run)) return
    if (!res.ok && res.kind === 'http' && res.code === 'publish_stale') {
      this.setPublish({ phase: 'syncing', target })
      await this.deps.sync.retry().catch(() => {})
      if (!this.current(run)) return
      this.setPublish({ phase: 'publishing', target })
      res = await this.send(target)
      if (!this.current(run)) return
      if (!res.ok && res.kind === 'http' && res.code === 'publish_stale') return this.setPublish({ phase: 'stale', target })
    }
    this.settle(target, res)
  }

  /// After a stale warning: publish what the server holds, knowing it is older than the editor.
  async publishAnyway(target?: string): Promise<void> {
    const run = this.begin()
    this.setPublish({ phase: 'publishing', target })
    const res = await this.deps.api.publishShare(this.deps.projectId, EMPTY_STATE_VECTOR, target)
    if (this.current(run)) this.settle(target, res, true)
  }

  /// After a stale warning: wait until the edits reach the server (the sync status shows Synced), then publish.
  waitAndPublish(target?: string): void {
    const run = this.begin()
    this.setPublish({ phase: 'waiting', target })
    const check = () => {
      const s = this.deps.sync.status.get()
      if (s.state !== 'synced' || !this.current(run)) return
      this.stopWaiting()
      void this.publish(target)
    }
    this.unwait = this.deps.sync.status.subscribe(check)
    void this.deps.sync.retry().catch(() => {})
    check()
  }

  /// Back to the dialog's resting state (Cancel while waiting, Done after secrets).
  reset(): void {
    this.begin()
    this.setPublish({ phase: 'idle' })
  }

  async revoke(linkId: string): Promise<boolean> {
    this.store.update((s) => ({ ...s, revoking: linkId, revokeError: undefined }))
    const res = await this.deps.api.revokeShare(this.deps.projectId, linkId)
    if (this.disposed) return res.ok
    // A link already revoked (elsewhere) is what the person wanted too.
    const gone = res.ok || (res.kind === 'http' && res.code === 'link_revoked')
    const at = new Date().toISOString()
    this.store.update((s) => ({
      ...s,
      revoking: undefined,
      revokeError: gone ? undefined : shareFailureMessage(res as Exclude<typeof res, { ok: true }>, 'revoke'),
      links: gone && s.links.phase === 'ready' ? { phase: 'ready', links: s.links.links.map((l) => (l.id === linkId ? { ...l, revokedAt: l.revokedAt ?? at } : l)) } : s.links,
      publish: gone && s.publish.phase === 'published' && s.publish.linkId === linkId ? { phase: 'idle' } : s.publish,
    }))
    if (gone) void this.refresh()
    return gone
  }

  dispose(): void {
    this.disposed = true
    this.stopWaiting()
  }

  private send(target: string | undefined) {
    const sv = toBase64Url(Y.encodeStateVector(this.deps.doc))
    return this.deps.api.publishShare(this.deps.projectId, sv, target)
  }

  private settle(target: string | undefined, res: ShareApiResult<PublishResponse>, anyway = false) {
    if (res.ok) {
      const { link, version } = res.value
      // Published anyway while the editor still held edits the server lacked: the version is older than the editor.
      const behind = anyway && this.deps.sync.status.get().state !== 'synced'
      this.store.update((s) => ({
        ...s,
        publish: { phase: 'published', linkId: link.id, version, ...(behind ? { behind } : {}) },
        links: { phase: 'ready', links: sortLinks([link, ...(s.links.phase === 'ready' ? s.links.links.filter((l) => l.id !== link.id) : [])]) },
      }))
      return
    }
    if (res.kind === 'http' && res.code === 'secrets_found') {
      const details = SecretsFoundDetailsSchema.safeParse(res.details)
      if (details.success) {
        return this.setPublish({ phase: 'secrets', target, findings: sortFindings(details.data.files), total: details.data.total })
      }
    }
    if (res.kind === 'http' && res.code === 'link_revoked') void this.refresh()
    this.fail(target, res)
  }

  private fail(target: string | undefined, res: Exclude<ShareApiResult<unknown>, { ok: true }>) {
    this.setPublish({ phase: 'failed', target, message: shareFailureMessage(res, 'publish'), offline: res.kind === 'network' })
  }

  private setPublish(publish: PublishState) {
    if (!this.disposed) this.store.update((s) => ({ ...s, publish }))
  }

  // Each publish supersedes the one before (a Cancel, a second press): answers of an older run are dropped.
  private begin(): number {
    this.stopWaiting()
    return ++this.run
  }

  private current(run: number): boolean {
    return !this.disposed && run === this.run
  }

  private stopWaiting() {
    this.unwait?.()
    this.unwait = undefined
  }
}

function sortLinks(links: readonly ShareLink[]): ShareLink[] {
  return [...links].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
}
