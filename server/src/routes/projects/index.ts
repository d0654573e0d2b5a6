import { CreateProjectSchema, UpdateProjectSchema, checkProjectPath } from '@slipway/shared'
import type { ForkedFrom, Project, TemplateId } from '@slipway/shared'
import { Hono } from 'hono'
import type { ProjectService } from '../../domain/projects.ts'
import type { ShareService } from '../../domain/shares.ts'
import type { SyncService } from '../../domain/sync.ts'
import { AppError } from '../../errors.ts'
import { jsonBody } from '../../middleware/json-body/index.ts'
import { responseHeader } from '../../middleware/response-header.ts'
import { requireProject, requireProjectAccess, requireUser } from '../../middleware/session/index.ts'
import type { ProjectRecord } from '../../ports.ts'
import { rawFileHeaders } from './rawFile.ts'

/// Wire forms of project records, by record: a record served from the lookup cache is the same object on every
/// request until it changes, and is then replaced, never mutated.
const wireForms = new WeakMap<ProjectRecord, Project>()

export const toProject = (p: ProjectRecord): Project => {
  let wire = wireForms.get(p)
  if (!wire) {
    wire = {
      id: p.id,
      name: p.name,
      template: p.template as TemplateId | null,
      createdAt: p.createdAt.toISOString(),
      updatedAt: p.updatedAt.toISOString(),
      forkedFrom: p.forkedFromLink && p.forkedFromVersion ? forkedFromOf(p.forkedFromLink, p.forkedFromVersion, p.forkedFromName) : null,
    }
    wireForms.set(p, wire)
  }
  return wire
}

const forkedFromOf = (linkId: string, version: number, projectName: string | null | undefined): ForkedFrom =>
  projectName ? { linkId, version, projectName } : { linkId, version }

/// `/api/projects`: the signed-in user's projects and their materialized files.
export function projectRoutes(deps: { projects: ProjectService; sync: SyncService; forkSources: Pick<ShareService, 'forkSource'> }) {
  const { projects, sync, forkSources } = deps
  return new Hono()
    .get('/', async (c) => {
      const user = await requireUser(c)
      responseHeader(c, 'Cache-Control', 'no-store')
      return c.json({ projects: (await projects.list(user.id)).map(toProject) }, 200)
    })
    .post('/', jsonBody(CreateProjectSchema), async (c) => {
      const user = await requireUser(c)
      const { name, template, forkedFrom } = c.req.valid('json')
      // The client's claim is kept only if the link backs it; otherwise the project is made without it, no error.
      const source = forkedFrom ? await forkSources.forkSource(forkedFrom) : null
      return c.json({ project: toProject(await projects.create(user.id, name, template, source)) }, 201)
    })
    .get('/:id', async (c) => {
      const { project } = await requireProject(c, c.req.param('id'))
      responseHeader(c, 'Cache-Control', 'no-store')
      return c.json({ project: toProject(project) }, 200)
    })
    .patch('/:id', jsonBody(UpdateProjectSchema), async (c) => {
      const user = await requireUser(c)
      return c.json({ project: toProject(await projects.rename(user.id, c.req.param('id'), c.req.valid('json').name)) }, 200)
    })
    .delete('/:id', async (c) => {
      const user = await requireUser(c)
      await projects.delete(user.id, c.req.param('id'))
      return c.body(null, 204)
    })
    .get('/:id/files', async (c) => {
      const { projectId } = await requireProjectAccess(c, c.req.param('id'))
      responseHeader(c, 'Cache-Control', 'no-store')
      return c.json({ files: await sync.listFiles(projectId) }, 200)
    })
    .get('/:id/files/:path{.+}', async (c) => {
      const { projectId } = await requireProjectAccess(c, c.req.param('id'))
      const path = c.req.param('path')
      const check = checkProjectPath(path)
      if (!check.ok) throw new AppError('bad_request', `Invalid path: ${check.message}`, { details: { path, problem: check.problem } })
      const file = await sync.readFile(projectId, path)
      if (!file) throw new AppError('not_found', 'File not found')
      for (const [name, value] of Object.entries(rawFileHeaders(path, file.content))) c.header(name, value)
      c.header('ETag', `"${file.sha256}"`)
      c.header('Cache-Control', 'private, no-cache')
      if (c.req.header('if-none-match') === `"${file.sha256}"`) return c.body(null, 304)
      return c.body(file.content as Uint8Array<ArrayBuffer>, 200)
    })
}
