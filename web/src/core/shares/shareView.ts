/// Pure: what the Share dialog says about links, versions and refused publishes. Data in, sentences and plans out.
import type { OmittedReason, PublishedVersion, SecretFinding, SecretKind, ShareLink } from '@slipway/shared'
import { formatBytes } from '../formatBytes.ts'
import type { SyncStatus } from '../sync/SyncClient.ts'

/// An answer of the share API as core sees it (the API client's `ApiResult` has this shape).
export type ShareApiResult<T> =
  | { ok: true; value: T }
  | { ok: false; kind: 'http'; status: number; code: string; message: string; details?: unknown }
  | { ok: false; kind: 'network'; message: string }

export type ShareFailure = Exclude<ShareApiResult<unknown>, { ok: true }>

/// The newest link that is not revoked: the one the dialog shows with its QR code and Publish again.
export function activeLink(links: readonly ShareLink[]): ShareLink | undefined {
  let best: ShareLink | undefined
  for (const l of links) if (!l.revokedAt && (!best || l.createdAt > best.createdAt)) best = l
  return best
}

/// The URL of one pinned version of a link: `…/s/<id>@<n>`.
export function pinnedUrl(url: string, n: number): string {
  return `${url.replace(/@\d+$/, '')}@${n}`
}

/// "12 files · 3.4 KB".
export function versionContents(v: { fileCount: number; bytes: number }): string {
  return `${v.fileCount === 1 ? '1 file' : `${v.fileCount} files`} · ${formatBytes(v.bytes)}`
}

/// What the dialog says up front about the edits the server lacks (`undefined`: nothing to say). Edits on their way
/// (saved locally, syncing) are not worth a warning: publishing pushes them first. `online`: the browser's own answer.
export function pendingEditsNote(status: SyncStatus, online: boolean): string | undefined {
  if (status.state === 'synced' || status.state === 'saved-locally' || status.state === 'syncing' || status.waiting === 0) return undefined
  const one = status.waiting === 1
  const edits = one ? 'Your latest edit (1 change) is' : `Your latest edits (${status.waiting} changes) are`
  if (!online) return `${edits} saved in this browser only: ${one ? 'it reaches' : 'they reach'} the server, and can be published, when you are back online.`
  return `${edits} not on the server yet. Publishing sends ${one ? 'it' : 'them'} first, and asks you before publishing anything older than your editor.`
}

/// "3 views · last 2 h ago", "No views yet".
export function viewsLine(link: Pick<ShareLink, 'viewCount' | 'lastViewedAt'>, now: number): string {
  if (link.viewCount === 0 || !link.lastViewedAt) return 'No views yet'
  return `${link.viewCount === 1 ? '1 view' : `${link.viewCount} views`} · last ${relativeTime(link.lastViewedAt, now)}`
}

export function relativeTime(iso: string, now: number): string {
  const s = (now - Date.parse(iso)) / 1000
  if (!(s >= 0) || s < 60) return 'just now'
  if (s < 3600) return `${Math.floor(s / 60)} min ago`
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`
  return `on ${new Date(iso).toLocaleDateString()}`
}

export interface OmittedGroup {
  /// Why these were left out, as a sentence fragment: "environment files can hold secrets".
  why: string
  paths: string[]
}

/// What a published version left out, grouped by why, in a fixed order (secrets first).
export function omittedGroups(omitted: PublishedVersion['omitted']): OmittedGroup[] {
  const groups = new Map<string, string[]>()
  for (const o of omitted) {
    const why = omittedReason(o.path, o.reason)
    const list = groups.get(why) ?? []
    list.push(o.path)
    groups.set(why, list)
  }
  return [...groups].map(([why, paths]) => ({ why, paths: paths.sort() })).sort((a, b) => WHY_ORDER.indexOf(a.why) - WHY_ORDER.indexOf(b.why))
}

const WHY = {
  env: 'environment files can hold secrets',
  deps: 'dependencies: npm install brings them back',
  build: 'build output: the project rebuilds it',
  git: 'version control data',
  ignored: 'never shared (ignored path)',
  large: 'too large to share',
} as const
const WHY_ORDER: string[] = Object.values(WHY)

export function omittedReason(path: string, reason: OmittedReason): string {
  if (reason === 'too_large') return WHY.large
  const parts = path.split('/')
  const name = parts[parts.length - 1] ?? ''
  if (/^\.env($|\.)/.test(name)) return WHY.env
  if (parts.includes('node_modules')) return WHY.deps
  if (parts.includes('.git')) return WHY.git
  if (parts.some((p) => p === 'dist' || p === 'build' || p === '.next' || p === '.output' || p === 'out')) return WHY.build
  return WHY.ignored
}

const SECRET_KINDS: Record<SecretKind, string> = {
  private_key: 'private key',
  anthropic_key: 'Anthropic API key',
  openai_key: 'OpenAI API key',
  aws_access_key: 'AWS access key',
  github_token: 'GitHub token',
  slack_token: 'Slack token',
  npm_token: 'npm auth token',
}

export function secretKindLabel(kind: SecretKind): string {
  return SECRET_KINDS[kind] ?? 'secret'
}

/// The findings of a refused publish, one row per file and line, by path then line.
export function sortFindings(findings: readonly SecretFinding[]): SecretFinding[] {
  return [...findings].sort((a, b) => (a.path === b.path ? a.line - b.line : a.path < b.path ? -1 : 1))
}

/// What went wrong with a share call, in a sentence for the person (never the server's internals).
export function shareFailureMessage(f: ShareFailure, action: 'publish' | 'list' | 'revoke'): string {
  if (f.kind === 'network') return 'Sharing needs the network. You seem to be offline — try again when you are back online.'
  switch (f.code) {
    case 'unauthorized':
      return 'Your session has ended. Sign in again to share this project.'
    case 'not_found':
      return action === 'revoke'
        ? 'That link no longer exists.'
        : "The server doesn't have this project yet. Wait until it shows Synced, then try again."
    case 'link_revoked':
      return 'That link was revoked. Create a new link to share this project again.'
    case 'rate_limited':
      return "You're sharing faster than the server allows. Wait a minute and try again."
    case 'limit_exceeded':
      return action === 'publish'
        ? 'This project has reached the limit of links or versions. Revoke an old link, then try again.'
        : 'The server refused: a limit was reached.'
    case 'payload_too_large':
    case 'quota_exceeded':
      return 'This project is too large to share.'
    case 'db_unavailable':
    case 'internal':
      return 'The server had a problem. Try again in a moment.'
    default:
      return f.status >= 500
        ? 'The server had a problem. Try again in a moment.'
        : action === 'publish'
          ? 'The server refused to publish this project.'
          : action === 'revoke'
            ? 'The server refused to revoke the link.'
            : "The project's links could not be loaded."
  }
}
