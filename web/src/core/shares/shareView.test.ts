import type { ShareLink } from '@slipway/shared'
import { describe, expect, it } from 'vitest'
import { activeLink, omittedGroups, omittedReason, pendingEditsNote, pinnedUrl, relativeTime, shareFailureMessage, sortFindings, versionContents, viewsLine } from './shareView.ts'

const link = (id: string, createdAt: string, revokedAt: string | null = null): ShareLink => ({
  id: id.padEnd(22, 'x'),
  url: `https://s.example/s/${id.padEnd(22, 'x')}`,
  createdAt,
  revokedAt,
  versions: [],
  viewCount: 0,
  lastViewedAt: null,
})

describe('activeLink', () => {
  it.each([
    { name: 'none', links: [], id: undefined },
    { name: 'the newest working one', links: [link('a', '2026-01-01'), link('b', '2026-02-01'), link('c', '2026-03-01', '2026-03-02')], id: 'b' },
    { name: 'all revoked', links: [link('a', '2026-01-01', '2026-01-02')], id: undefined },
  ])('$name', ({ links, id }) => expect(activeLink(links)?.id.replace(/x+$/, '')).toBe(id))
})

describe('pinnedUrl', () => {
  it.each([
    ['https://s.example/s/abc', 3, 'https://s.example/s/abc@3'],
    ['https://s.example/s/abc@1', 2, 'https://s.example/s/abc@2'],
  ])('%s @%d', (url, n, out) => expect(pinnedUrl(url, n)).toBe(out))
})

describe('lines', () => {
  const now = Date.parse('2026-06-01T12:00:00Z')
  it.each([
    [{ fileCount: 1, bytes: 999 }, '1 file · 999 B'],
    [{ fileCount: 12, bytes: 3_400 }, '12 files · 3.4 KB'],
    [{ fileCount: 1000, bytes: 10_000_000 }, '1000 files · 10 MB'],
  ])('versionContents %j', (v, s) => expect(versionContents(v)).toBe(s))
  it.each([
    [{ viewCount: 0, lastViewedAt: null }, 'No views yet'],
    [{ viewCount: 1, lastViewedAt: '2026-06-01T11:58:00Z' }, '1 view · last 2 min ago'],
    [{ viewCount: 5, lastViewedAt: '2026-06-01T09:00:00Z' }, '5 views · last 3 h ago'],
  ])('viewsLine %j', (l, s) => expect(viewsLine(l, now)).toBe(s))
  it('a clock behind the server reads "just now", not a negative time', () => expect(relativeTime('2026-06-01T12:05:00Z', now)).toBe('just now'))
})

describe('omitted', () => {
  it.each([
    ['.env', 'ignored', 'environment files can hold secrets'],
    ['api/.env.local', 'ignored', 'environment files can hold secrets'],
    ['node_modules/react/index.js', 'ignored', 'dependencies: npm install brings them back'],
    ['dist/app.js', 'ignored', 'build output: the project rebuilds it'],
    ['web/.next/cache', 'ignored', 'build output: the project rebuilds it'],
    ['.git/config', 'ignored', 'version control data'],
    ['public/video.mp4', 'too_large', 'too large to share'],
    ['.environment.md', 'ignored', 'never shared (ignored path)'],
  ] as const)('%s (%s)', (path, reason, why) => expect(omittedReason(path, reason)).toBe(why))

  it('groups by reason, secrets first, paths sorted', () => {
    expect(
      omittedGroups([
        { path: 'dist/b.js', reason: 'ignored' },
        { path: 'big.bin', reason: 'too_large' },
        { path: 'dist/a.js', reason: 'ignored' },
        { path: '.env', reason: 'ignored' },
      ]),
    ).toEqual([
      { why: 'environment files can hold secrets', paths: ['.env'] },
      { why: 'build output: the project rebuilds it', paths: ['dist/a.js', 'dist/b.js'] },
      { why: 'too large to share', paths: ['big.bin'] },
    ])
  })
})

describe('sortFindings', () => {
  it('by path, then line', () =>
    expect(
      sortFindings([
        { path: 'b.js', line: 1, kind: 'aws_access_key' },
        { path: 'a.js', line: 9, kind: 'openai_key' },
        { path: 'a.js', line: 2, kind: 'private_key' },
      ]).map((f) => `${f.path}:${f.line}`),
    ).toEqual(['a.js:2', 'a.js:9', 'b.js:1']))
})

describe('shareFailureMessage', () => {
  const http = (code: string, status = 400) => ({ ok: false as const, kind: 'http' as const, status, code, message: 'internal detail: relation "x" does not exist' })
  it.each([
    [{ ok: false as const, kind: 'network' as const, message: 'Failed to fetch' }, 'publish', /needs the network/],
    [http('rate_limited', 429), 'publish', /Wait a minute/],
    [http('not_found', 404), 'publish', /doesn't have this project yet/],
    [http('link_revoked', 410), 'publish', /was revoked/],
    [http('unauthorized', 401), 'list', /Sign in again/],
    [http('internal', 500), 'revoke', /server had a problem/],
    [http('unknown', 502), 'list', /server had a problem/],
    [http('unknown', 400), 'list', /could not be loaded/],
  ] as const)('%j (%s)', (f, action, re) => {
    const message = shareFailureMessage(f, action)
    expect(message).toMatch(re)
    expect(message).not.toMatch(/internal detail/)
  })
})

describe('pendingEditsNote', () => {
  it.each([
    { name: 'synced', status: { state: 'synced', at: 1 } as const, online: true, note: undefined },
    { name: 'edits on their way', status: { state: 'syncing', waiting: 2 } as const, online: true, note: undefined },
    { name: 'saved locally, about to sync', status: { state: 'saved-locally', waiting: 1 } as const, online: true, note: undefined },
    { name: 'offline with nothing waiting', status: { state: 'offline', waiting: 0 } as const, online: false, note: undefined },
    { name: 'offline, one edit', status: { state: 'offline', waiting: 1 } as const, online: false, note: /^Your latest edit \(1 change\) is saved in this browser only: .* when you are back online\.$/ },
    { name: 'server unreachable, three edits', status: { state: 'offline', waiting: 3 } as const, online: true, note: /^Your latest edits \(3 changes\) are not on the server yet\. Publishing sends them first/ },
    { name: 'server unreachable, one edit', status: { state: 'offline', waiting: 1 } as const, online: true, note: /^Your latest edit \(1 change\) is not on the server yet\. Publishing sends it first/ },
    { name: 'offline, two edits', status: { state: 'offline', waiting: 2 } as const, online: false, note: /^Your latest edits \(2 changes\) are saved in this browser only: they reach the server/ },
    { name: 'sync failing', status: { state: 'error', message: 'boom', waiting: 2 } as const, online: true, note: /^Your latest edits \(2 changes\) are not on the server yet/ },
  ])('$name', ({ status, online, note }) => {
    const text = pendingEditsNote(status, online)
    if (note === undefined) expect(text).toBeUndefined()
    else expect(text).toMatch(note)
  })
})
