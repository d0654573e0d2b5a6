import { fromBase64Url } from '@slipway/shared'
import type { PublishResponse, ShareLink } from '@slipway/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Store } from '../store.ts'
import type { SyncStatus } from '../sync/SyncClient.ts'
import { ProjectShares } from './ProjectShares.ts'
import type { ShareApi, ShareSync } from './ProjectShares.ts'
import type { ShareApiResult } from './shareView.ts'

const LINK = 'AbCdEfGhIjKlMnOpQrStUv'

function linkOf(n: number, revokedAt: string | null = null): ShareLink {
  return {
    id: LINK,
    url: `https://s.example/s/${LINK}`,
    createdAt: '2026-01-01T00:00:00Z',
    revokedAt,
    versions: Array.from({ length: n }, (_, i) => ({ n: i + 1, createdAt: '2026-01-01T00:00:00Z', fileCount: 2, bytes: 20 })),
    viewCount: 0,
    lastViewedAt: null,
  }
}

const published = (n: number): ShareApiResult<PublishResponse> => ({
  ok: true,
  value: { link: linkOf(n), version: { n, createdAt: '2026-01-01T00:00:00Z', fileCount: 2, bytes: 20, omitted: [{ path: '.env', reason: 'ignored' }] } },
})
const stale: ShareApiResult<never> = { ok: false, kind: 'http', status: 409, code: 'publish_stale', message: 'stale' }

/// A server that answers publishes from a script, and remembers the state vectors it was sent.
function setup(answers: Array<ShareApiResult<PublishResponse>>, opts: { online?: boolean } = {}) {
  const doc = new Y.Doc()
  doc.getMap('files').set('a.txt', new Y.Text('hi'))
  const sent: Array<{ sv: Uint8Array; linkId: string | undefined }> = []
  const calls: string[] = []
  let links: ShareLink[] = []
  const api: ShareApi = {
    listShares: async () => ({ ok: true, value: links }),
    publishShare: async (_p, sv, linkId) => {
      sent.push({ sv: fromBase64Url(sv)!, linkId })
      calls.push('publish')
      const answer = answers.shift() ?? { ok: false, kind: 'network', message: 'no more answers' }
      if (answer.ok) links = [answer.value.link]
      return answer
    },
    revokeShare: async (_p, id) => {
      links = links.map((l) => (l.id === id ? { ...l, revokedAt: '2026-01-02T00:00:00Z' } : l))
      return { ok: true, value: undefined }
    },
  }
  const status = new Store<SyncStatus>({ state: 'saved-locally', waiting: 1 })
  const sync: ShareSync = {
    status,
    sync: async () => void calls.push('sync'),
    retry: async () => void calls.push('retry'),
  }
  const shares = new ProjectShares({ projectId: 'p1', api, doc, sync, online: () => opts.online ?? true })
  return { doc, shares, sent, calls, status }
}

describe('ProjectShares.publish', () => {
  it('pushes pending edits, then sends the doc state vector; the link and what was left out show', async () => {
    const { doc, shares, sent, calls } = setup([published(1)])
    await shares.publish()
    expect(calls).toEqual(['sync', 'publish'])
    expect(sent[0]!.sv).toEqual(Y.encodeStateVector(doc))
    expect(sent[0]!.linkId).toBeUndefined()
    const s = shares.store.get()
    expect(s.publish).toMatchObject({ phase: 'published', linkId: LINK, version: { n: 1, omitted: [{ path: '.env' }] } })
    expect(s.links).toMatchObject({ phase: 'ready', links: [{ id: LINK }] })
  })

  it('Publish again sends to the same link', async () => {
    const { shares, sent } = setup([published(2)])
    await shares.publish(LINK)
    expect(sent[0]!.linkId).toBe(LINK)
  })

  it('a stale answer is retried once after a sync that forgets backoff', async () => {
    const { shares, calls } = setup([stale, published(1)])
    await shares.publish()
    expect(calls).toEqual(['sync', 'publish', 'retry', 'publish'])
    expect(shares.store.get().publish.phase).toBe('published')
  })

  it('stale twice: the person is asked; nothing older is published silently', async () => {
    const { shares, calls } = setup([stale, stale])
    await shares.publish()
    expect(shares.store.get().publish).toEqual({ phase: 'stale', target: undefined })
    expect(calls.filter((c) => c === 'publish')).toHaveLength(2)
  })

  it('Publish anyway sends an empty state vector (whatever the server holds), and the version says it is behind the editor', async () => {
    const { shares, sent } = setup([published(1)])
    await shares.publishAnyway()
    expect(sent[0]!.sv).toEqual(new Uint8Array([0]))
    expect(shares.store.get().publish).toMatchObject({ phase: 'published', behind: true })
  })

  it('Publish anyway after the edits did reach the server is an ordinary version', async () => {
    const { shares, status } = setup([published(1)])
    status.update(() => ({ state: 'synced', at: 1 }))
    await shares.publishAnyway()
    expect(shares.store.get().publish).toEqual(expect.not.objectContaining({ behind: true }))
    expect(shares.store.get().publish.phase).toBe('published')
  })

  it('a version published after a sync is not marked behind', async () => {
    const { shares } = setup([published(1)])
    await shares.publish()
    expect(shares.store.get().publish).not.toHaveProperty('behind')
  })

  it('Wait publishes once the edits are synced, not before', async () => {
    const { shares, calls, status } = setup([published(1)])
    shares.waitAndPublish()
    expect(shares.store.get().publish.phase).toBe('waiting')
    status.update(() => ({ state: 'syncing', waiting: 1 }))
    expect(calls).toEqual(['retry'])
    status.update(() => ({ state: 'synced', at: 1 }))
    await new Promise((r) => setTimeout(r))
    expect(calls).toEqual(['retry', 'sync', 'publish'])
    expect(shares.store.get().publish.phase).toBe('published')
  })

  it('Cancel while waiting publishes nothing', async () => {
    const { shares, calls, status } = setup([published(1)])
    shares.waitAndPublish()
    shares.reset()
    status.update(() => ({ state: 'synced', at: 1 }))
    await new Promise((r) => setTimeout(r))
    expect(calls).toEqual(['retry'])
    expect(shares.store.get().publish.phase).toBe('idle')
  })

  it('secrets found: the files and lines are listed, sorted', async () => {
    const { shares } = setup([
      {
        ok: false,
        kind: 'http',
        status: 422,
        code: 'secrets_found',
        message: 'x',
        details: { files: [{ path: 'src/b.js', line: 3, kind: 'aws_access_key' }, { path: '.npmrc', line: 1, kind: 'npm_token' }], total: 2 },
      },
    ])
    await shares.publish()
    expect(shares.store.get().publish).toMatchObject({ phase: 'secrets', total: 2, findings: [{ path: '.npmrc', line: 1 }, { path: 'src/b.js', line: 3 }] })
  })

  it('offline: says sharing needs the network and sends nothing', async () => {
    const { shares, calls } = setup([published(1)], { online: false })
    await shares.publish()
    expect(calls).toEqual([])
    expect(shares.store.get().publish).toMatchObject({ phase: 'failed', offline: true, message: expect.stringMatching(/needs the network/) })
  })
})

describe('ProjectShares.revoke', () => {
  it('marks the link revoked and leaves the published state', async () => {
    const { shares } = setup([published(1)])
    await shares.publish()
    expect(await shares.revoke(LINK)).toBe(true)
    const s = shares.store.get()
    expect(s.publish.phase).toBe('idle')
    expect(s.links.phase === 'ready' && s.links.links[0]!.revokedAt).toBeTruthy()
  })
})
