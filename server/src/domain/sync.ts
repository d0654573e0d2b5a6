import { LIMITS } from '@slipway/shared'
import * as Y from 'yjs'
import type { Clock, ProjectRepo, StoredFile } from '../ports.ts'
import { DocCache } from './doc-cache.ts'
import { DomainError } from './errors.ts'
import { applyClientUpdate, docFromUpdates, fileBytes, storedFile } from './project-doc.ts'

/// The update log is merged into one row once it holds this many.
const COMPACT_AFTER_ROWS = 64

/// Merges clients' Yjs updates into the stored project doc and answers what a client lacks. Each push runs in one
/// transaction holding the project's row lock, so concurrent pushes (from any number of server processes) apply one
/// after another and none is lost; a rejected update leaves nothing behind.
export class SyncService {
  private readonly cache = new DocCache()

  constructor(
    private readonly projects: ProjectRepo,
    private readonly clock: Clock,
  ) {}

  /// Merges `update`; returns the server's state vector afterwards. Idempotent: an update already merged adds
  /// nothing and stores nothing.
  async push(projectId: string, update: Uint8Array): Promise<Uint8Array> {
    const { doc, seq } = await this.projects.withDocLock(projectId, async (tx) => {
      const cached = this.cache.take(projectId)
      let doc: Y.Doc
      if (cached && cached.seq <= tx.seq) {
        doc = cached.doc
        if (cached.seq < tx.seq) for (const u of await tx.updatesAfter(cached.seq)) Y.applyUpdate(doc, u)
      } else {
        cached?.doc.destroy()
        doc = docFromUpdates(await tx.updatesAfter(0))
      }
      try {
        const { delta, touched } = applyClientUpdate(doc, update)
        if (!delta) return { doc, seq: tx.seq }
        const upserts: StoredFile[] = []
        const deletes: string[] = []
        for (const path of touched) {
          const bytes = fileBytes(doc, path)
          if (!bytes) deletes.push(path)
          else if (bytes.byteLength > LIMITS.maxFileBytes) {
            throw new DomainError('payload_too_large', `A file holds at most ${LIMITS.maxFileBytes} bytes`, { path, size: bytes.byteLength })
          } else upserts.push(storedFile(path, bytes))
        }
        await tx.deleteFiles(deletes)
        await tx.upsertFiles(upserts)
        const totals = await tx.fileTotals()
        if (totals.bytes > LIMITS.maxProjectBytes) {
          throw new DomainError('payload_too_large', `A project holds at most ${LIMITS.maxProjectBytes} bytes`, totals)
        }
        const compact = tx.updateRows + 1 >= COMPACT_AFTER_ROWS ? Y.encodeStateAsUpdate(doc) : undefined
        const seq = await tx.append(delta, compact)
        await tx.touchProject(this.clock.now())
        return { doc, seq }
      } catch (err) {
        doc.destroy()
        throw err
      }
    })
    this.cache.put(projectId, doc, seq)
    return Y.encodeStateVector(doc)
  }

  /// What a client holding `stateVector` lacks (the whole doc for an empty one), and the server's state vector.
  async pull(projectId: string, stateVector: Uint8Array | undefined): Promise<{ update: Uint8Array; stateVector: Uint8Array }> {
    const head = await this.projects.readDoc(projectId, Number.MAX_SAFE_INTEGER)
    if (!head) throw new DomainError('not_found', 'Project not found')
    let doc = this.cache.peek(projectId, head.seq)
    if (!doc) {
      const all = await this.projects.readDoc(projectId, 0)
      if (!all) throw new DomainError('not_found', 'Project not found')
      doc = docFromUpdates(all.updates)
      this.cache.put(projectId, doc, all.seq)
    }
    let update: Uint8Array
    try {
      update = Y.encodeStateAsUpdate(doc, stateVector)
    } catch {
      throw new DomainError('bad_request', 'sv is not a valid Yjs state vector')
    }
    return { update, stateVector: Y.encodeStateVector(doc) }
  }

  /// Forgets a deleted project's cached doc.
  forget(projectId: string): void {
    this.cache.drop(projectId)
  }
}
