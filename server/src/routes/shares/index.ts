import { JSON_CONTENT_TYPE, PACK_CONTENT_TYPE, PublishRequestSchema } from '@slipway/shared'
import type { Context } from 'hono'
import { Hono } from 'hono'
import type { ShareService } from '../../domain/shares.ts'
import type { ClientKey } from '../../middleware/client-ip/index.ts'
import { jsonBody } from '../../middleware/json-body/index.ts'
import { responseHeader } from '../../middleware/response-header.ts'
import { requireProject, requireUser } from '../../middleware/session/index.ts'
import { toProject } from '../projects/index.ts'

const IMMUTABLE = 'public, max-age=31536000, immutable'

/// Search engines keep out of share responses (the security headers send no referrer on them).
function shareHeaders(c: Context) {
  responseHeader(c, 'X-Robots-Tag', 'noindex')
}

/// `/api/projects/:id/shares…`: the owner's links of a project (list, create and publish, publish again, revoke).
export function projectShareRoutes(deps: { shares: ShareService }) {
  const { shares } = deps
  return new Hono()
    .get('/:id/shares', async (c) => {
      const { user, project } = await requireProject(c, c.req.param('id'))
      c.header('Cache-Control', 'no-store')
      return c.json({ links: await shares.list(user.id, project.id) }, 200)
    })
    .post('/:id/shares', jsonBody(PublishRequestSchema), async (c) => {
      const { user, project } = await requireProject(c, c.req.param('id'))
      return c.json(await shares.publish(user.id, project, undefined, c.req.valid('json').stateVector), 201)
    })
    .post('/:id/shares/:linkId/versions', jsonBody(PublishRequestSchema), async (c) => {
      const { user, project } = await requireProject(c, c.req.param('id'))
      return c.json(await shares.publish(user.id, project, c.req.param('linkId'), c.req.valid('json').stateVector), 201)
    })
    .delete('/:id/shares/:linkId', async (c) => {
      const { user, project } = await requireProject(c, c.req.param('id'))
      return c.json({ link: await shares.revoke(user.id, project.id, c.req.param('linkId')) }, 200)
    })
}

/// `/api/s/:linkId…`: a link's versions for anyone with its id, and forking one (signed in).
export function publicShareRoutes(deps: { shares: ShareService; clientKey: ClientKey }) {
  const { shares, clientKey } = deps
  const manifest = async (c: Context, version: string | null) => {
    shareHeaders(c)
    const { body, etag } = await shares.manifest(c.req.param('linkId')!, version, clientKey(c), c.req.header('if-none-match'))
    // Headers straight onto the outgoing response, the content type with the body: no web Headers object is built
    // for the most requested share response (see responseHeader).
    responseHeader(c, 'ETag', etag)
    // Revalidated on every use (a revoke must take effect), answered 304 when unchanged.
    responseHeader(c, 'Cache-Control', 'no-cache')
    if (body === null) return c.body(null, 304)
    return c.body(body as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': `${JSON_CONTENT_TYPE}; charset=utf-8` })
  }
  return new Hono()
    .get('/:linkId', (c) => manifest(c, null))
    .get('/:linkId/v/:n', (c) => manifest(c, c.req.param('n')))
    .get('/:linkId/blobs/:sha256', async (c) => {
      shareHeaders(c)
      const bytes = await shares.blob(c.req.param('linkId'), c.req.param('sha256'), clientKey(c))
      c.header('Cache-Control', IMMUTABLE)
      c.header('Content-Type', 'application/octet-stream')
      c.header('ETag', `"${c.req.param('sha256')}"`)
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200)
    })
    .get('/:linkId/v/:n/pack', async (c) => {
      shareHeaders(c)
      const pack = await shares.pack(c.req.param('linkId'), c.req.param('n'), clientKey(c))
      c.header('Cache-Control', IMMUTABLE)
      c.header('Content-Type', PACK_CONTENT_TYPE)
      // A streamed pack's length is known before its first byte: the client can bound what it reads.
      c.header('Content-Length', String(pack.bytes))
      return c.body(pack.body as Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>, 200)
    })
    .post('/:linkId/v/:n/fork', async (c) => {
      const user = await requireUser(c)
      const project = await shares.fork(user.id, c.req.param('linkId'), c.req.param('n'))
      return c.json({ project: toProject(project) }, 201)
    })
}
