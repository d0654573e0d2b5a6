import { SHARE_LIMITS, checkProjectPath, decodePack, packSize, sha256Hex } from '@slipway/shared'
import type { ShareManifest } from '@slipway/shared'
import type { ShareResolution, SharedFile } from '../session/ProjectOpening.ts'

/// What this device remembers of a link it opened: enough to open its stored versions offline, and to delete them
/// when the link turns out revoked.
export interface ShareRecord {
  linkId: string
  projectName: string
  owner: string | null
  /// The newest version the server named when last asked.
  latest: number
  /// Versions whose files are stored on this device.
  versions: number[]
  seenAt: string
}

/// An answer of the server: the value, or why not (`network`: the server could not be reached).
export type Fetched<T> = { ok: true; value: T } | { ok: false; kind: 'network'; message: string } | { ok: false; kind: 'http'; status: number; message: string }

/// A pack download stopped for passing its bound (`received`: bytes that had arrived, or the announced length).
export type PackTooLarge = { ok: false; kind: 'too-large'; limit: number; received: number }

export interface SharePorts {
  /// The manifest of a version (`null`: the latest), already checked against the shared schema.
  manifest(linkId: string, version: number | null, signal: AbortSignal): Promise<Fetched<ShareManifest>>
  /// Every blob of version `n`, in the pack format, read against `maxBytes` while it streams: past it the download
  /// stops at once and answers `too-large`.
  pack(linkId: string, version: number, maxBytes: number, signal: AbortSignal): Promise<Fetched<Uint8Array> | PackTooLarge>
  records: {
    get(linkId: string): Promise<ShareRecord | undefined>
    put(record: ShareRecord): Promise<void>
    delete(linkId: string): Promise<void>
  }
  /// Deletes a stored version's doc from this device.
  deleteDoc(key: string): Promise<void>
  now(): string
}

/// The key a shared version's doc is stored under (also its folder name on the local runtime).
export const shareDocKey = (linkId: string, version: number) => `share-${linkId}-v${version}`

const REVOKED = 'This link was revoked'
const NOT_FOUND = 'This link does not exist'

/// Finds a shared version for the lifecycle: asks the server for its manifest and, when its files are needed,
/// downloads the pack in one request and checks every file against its hash. Offline, a version opened before on
/// this device opens from its stored copy. A revoked link's stored copies are deleted from this device.
export class ShareLoader {
  constructor(private readonly ports: SharePorts) {}

  async resolve(linkId: string, version: number | undefined, signal: AbortSignal): Promise<ShareResolution> {
    const answer = await this.ports.manifest(linkId, version ?? null, signal)
    if (answer.ok) return this.found(answer.value)
    if (answer.kind === 'http' && answer.status === 410) {
      await this.forget(linkId)
      return { ok: false, reason: 'revoked', message: REVOKED }
    }
    if (answer.kind === 'http' && answer.status === 404) return { ok: false, reason: 'not-found', message: NOT_FOUND }
    // The server is out of reach (or failing): a version stored here opens from this device.
    const record = await this.ports.records.get(linkId).catch(() => undefined)
    const n = version ?? record?.latest
    if (record && n !== undefined && record.versions.includes(n)) {
      return {
        ok: true,
        info: { linkId, projectName: record.projectName, owner: record.owner, version: n, latest: record.latest, offline: true },
        docKey: shareDocKey(linkId, n),
        files: () => Promise.reject(new Error('This version is not stored on this device')),
      }
    }
    if (answer.kind === 'network') return { ok: false, reason: 'offline', message: notStoredMessage(record, n) }
    return { ok: false, reason: 'offline', message: `The server could not be asked (${answer.message}). Try again in a moment.` }
  }

  /// Deletes every stored version of a link from this device.
  async forget(linkId: string): Promise<void> {
    const record = await this.ports.records.get(linkId).catch(() => undefined)
    if (!record) return
    for (const n of record.versions) await this.ports.deleteDoc(shareDocKey(linkId, n))
    await this.ports.records.delete(linkId)
  }

  private async found(manifest: ShareManifest): Promise<ShareResolution> {
    const { link, version } = manifest
    const n = version.n
    const before = await this.ports.records.get(link.id).catch(() => undefined)
    const record: ShareRecord = {
      linkId: link.id,
      projectName: link.projectName,
      owner: link.owner,
      latest: Math.max(link.latest, n),
      versions: [...new Set([...(before?.versions ?? []), n])].sort((a, b) => a - b),
      seenAt: this.ports.now(),
    }
    await this.ports.records.put(record).catch(() => {})
    return {
      ok: true,
      info: { linkId: link.id, projectName: link.projectName, owner: link.owner, version: n, latest: link.latest, offline: false },
      docKey: shareDocKey(link.id, n),
      files: async (signal) => {
        const maxBytes = packBound(manifest)
        const pack = await this.ports.pack(link.id, n, maxBytes, signal)
        if (!pack.ok) throw new Error(downloadFailure(pack))
        return filesOf(manifest, pack.value)
      },
    }
  }
}

// What this device lacks, offline. A device keeps no trace of a link whose copies it deleted (revoked), so the
// sentence never claims the link was never opened here.
function notStoredMessage(record: ShareRecord | undefined, n: number | undefined): string {
  if (!record || !record.versions.length || n === undefined) {
    return 'You are offline, and this link is not stored on this device. Open it once while online to keep a copy here.'
  }
  const stored = record.versions.map((v) => `v${v}`).join(', ')
  return `You are offline, and version ${n} of this link is not stored on this device (${record.versions.length === 1 ? 'stored' : 'stored versions'}: ${stored}).`
}

/// The most bytes the pack of `manifest` may take: exactly the pack of its distinct blobs, as their sizes are listed.
/// Throws for a version past the size limits, before anything is downloaded.
export function packBound(manifest: ShareManifest): number {
  const { files } = manifest.version
  if (files.length > SHARE_LIMITS.maxFiles) throw new Error(`The version has ${files.length} files (at most ${SHARE_LIMITS.maxFiles})`)
  const sizes = new Map(files.map((f) => [f.sha256, f.size]))
  const bytes = [...sizes.values()].reduce((sum, n) => sum + n, 0)
  if (bytes > SHARE_LIMITS.maxVersionBytes) throw new Error(`The version holds ${formatMB(bytes)}, more than a project may (${formatMB(SHARE_LIMITS.maxVersionBytes)})`)
  return packSize([...sizes.values()])
}

function downloadFailure(failure: Exclude<Awaited<ReturnType<SharePorts['pack']>>, { ok: true }>): string {
  switch (failure.kind) {
    case 'network':
      return 'The project could not be downloaded: you are offline.'
    case 'http':
      return `The project could not be downloaded (${failure.message}).`
    case 'too-large':
      return `The download was stopped: the server sent more than this version holds (over ${formatMB(failure.limit)}).`
  }
}

const formatMB = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`)

/// The files of a manifest, from a pack: each file's bytes found by hash and checked against it, text decoded as
/// UTF-8. Throws (saying which) for a missing or altered blob, or a version past the size limits.
export async function filesOf(manifest: ShareManifest, pack: Uint8Array): Promise<SharedFile[]> {
  const { files } = manifest.version
  if (files.length > SHARE_LIMITS.maxFiles) throw new Error(`The version has ${files.length} files (at most ${SHARE_LIMITS.maxFiles})`)
  if (pack.length > SHARE_LIMITS.maxVersionBytes + 64 * (files.length + 1)) throw new Error('The version is larger than a project may be')
  const blobs = new Map(decodePack(pack, { maxEntries: SHARE_LIMITS.maxFiles }).map((e) => [e.sha256, e.bytes]))
  const checked = new Set<string>()
  const decoder = new TextDecoder('utf-8', { fatal: false })
  const out: SharedFile[] = []
  for (const f of files) {
    const path = checkProjectPath(f.path)
    if (!path.ok) throw new Error(`The version holds a file this IDE cannot open (${JSON.stringify(f.path.slice(0, 200))}: ${path.message})`)
    const bytes = blobs.get(f.sha256)
    if (!bytes) throw new Error(`The download lacks ${f.path}`)
    if (!checked.has(f.sha256)) {
      if ((await sha256Hex(bytes)) !== f.sha256) throw new Error(`${f.path} arrived altered (its hash does not match)`)
      checked.add(f.sha256)
    }
    out.push({ path: f.path, content: f.binary ? bytes.slice() : decoder.decode(bytes) })
  }
  return out
}
