import { randomUUID } from 'node:crypto'
import { FILES_MAP, TEMPLATES } from '@slipway/shared'
import type { ForkedFrom, TemplateId } from '@slipway/shared'
import * as Y from 'yjs'
import type { Clock, ProjectRecord, ProjectRepo } from '../ports.ts'
import { DomainError } from './errors.ts'
import { allFiles, docFromFiles } from './project-doc.ts'
import { DEFAULT_QUOTAS, checkNewProject } from './quotas.ts'
import type { QuotaVerdict, Quotas } from './quotas.ts'

/// The error a refused quota answers: its name, the limit and where the account stands, in `details`.
export const quotaExceeded = (v: Extract<QuotaVerdict, { ok: false }>) =>
  new DomainError('quota_exceeded', v.message, { quota: v.quota, max: v.max, current: v.current })

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/// The stored form of a project id from a URL, or `undefined` for one that cannot exist (answered like a missing one).
export const projectIdOf = (id: string): string | undefined => (UUID.test(id) ? id.toLowerCase() : undefined)

const forkColumns = (forkedFrom: ForkedFrom | null) => ({
  forkedFromLink: forkedFrom?.linkId ?? null,
  forkedFromVersion: forkedFrom?.version ?? null,
  forkedFromName: forkedFrom?.projectName?.slice(0, 200) ?? null,
})

export const projectNotFound = () => new DomainError('not_found', 'Project not found')

/// Projects of one owner. Someone else's id, a malformed id and a deleted project all answer the same
/// `not_found`, so ids leak nothing.
export class ProjectService {
  constructor(
    private readonly repo: ProjectRepo,
    private readonly clock: Clock,
    private readonly onDelete: (projectId: string, ownerId: string) => void = () => {},
    private readonly quotas: Quotas = DEFAULT_QUOTAS,
  ) {}

  list(ownerId: string) {
    return this.repo.list(ownerId)
  }

  async get(ownerId: string, id: string): Promise<ProjectRecord> {
    const key = projectIdOf(id)
    const project = key ? await this.repo.get(ownerId, key) : undefined
    if (!project) throw projectNotFound()
    return project
  }

  /// `forkedFrom` is stored as given: a client's claim must be checked first (`ShareService.forkSource`).
  async create(ownerId: string, name: string, template: TemplateId | undefined, forkedFrom: ForkedFrom | null = null): Promise<ProjectRecord> {
    const doc = docFromFiles(template ? TEMPLATES[template].files : {})
    const now = this.clock.now()
    const project: ProjectRecord = { id: randomUUID(), ownerId, name, template: template ?? null, createdAt: now, updatedAt: now, ...forkColumns(forkedFrom) }
    const update = Y.encodeStateAsUpdate(doc)
    const files = allFiles(doc)
    doc.destroy()
    const verdict = await this.repo.create(project, update, files, (owner) => checkNewProject(owner, update.byteLength, this.quotas))
    if (!verdict.ok) throw quotaExceeded(verdict)
    return project
  }

  /// A new project holding `files` (text or bytes), e.g. a fork of a share link's version.
  async createFromFiles(
    ownerId: string,
    name: string,
    files: ReadonlyArray<{ path: string; content: string | Uint8Array }>,
    forkedFrom: ForkedFrom | null,
  ): Promise<ProjectRecord> {
    const doc = new Y.Doc()
    const map = doc.getMap(FILES_MAP)
    doc.transact(() => {
      for (const f of files) map.set(f.path, typeof f.content === 'string' ? new Y.Text(f.content) : f.content)
    })
    const now = this.clock.now()
    const project: ProjectRecord = {
      id: randomUUID(),
      ownerId,
      name: name.slice(0, 100),
      template: null,
      createdAt: now,
      updatedAt: now,
      ...forkColumns(forkedFrom),
    }
    const update = Y.encodeStateAsUpdate(doc)
    const stored = allFiles(doc)
    doc.destroy()
    const verdict = await this.repo.create(project, update, stored, (owner) => checkNewProject(owner, update.byteLength, this.quotas))
    if (!verdict.ok) throw quotaExceeded(verdict)
    return project
  }

  async rename(ownerId: string, id: string, name: string): Promise<ProjectRecord> {
    const project = UUID.test(id) ? await this.repo.rename(ownerId, id.toLowerCase(), name, this.clock.now()) : undefined
    if (!project) throw new DomainError('not_found', 'Project not found')
    return project
  }

  async delete(ownerId: string, id: string): Promise<void> {
    if (!UUID.test(id) || !(await this.repo.delete(ownerId, id.toLowerCase()))) throw new DomainError('not_found', 'Project not found')
    this.onDelete(id.toLowerCase(), ownerId)
  }
}
