import { DOC_VERSION_HEADER, DOC_VERSION_PATTERN, STATE_VECTOR_HEADER, YJS_UPDATE_CONTENT_TYPE, fromBase64Url, mediaType, toBase64Url } from '@slipway/shared'
import type { SyncPushResponse } from '@slipway/shared'
import { Hono } from 'hono'
import type { SyncService } from '../../domain/sync.ts'
import { AppError } from '../../errors.ts'
import { requireProjectAccess, requireUser } from '../../middleware/session/index.ts'

/// `/api/projects/:id/sync`: push a Yjs update (POST, raw bytes) and pull what a state vector lacks (GET).
export function syncRoutes(deps: { sync: SyncService }) {
  const { sync } = deps
  return new Hono()
    .post('/:id/sync', async (c) => {
      if (mediaType(c.req.header('content-type')) !== YJS_UPDATE_CONTENT_TYPE) {
        await requireUser(c) // 401 before 415
        throw new AppError('unsupported_media_type', `Content-Type must be ${YJS_UPDATE_CONTENT_TYPE}`)
      }
      const { projectId } = await requireProjectAccess(c, c.req.param('id'))
      const version = c.req.header(DOC_VERSION_HEADER)
      if (version !== undefined && !DOC_VERSION_PATTERN.test(version)) {
        throw new AppError('bad_request', `${DOC_VERSION_HEADER} must be a doc version from a pull (a decimal number)`)
      }
      const update = new Uint8Array(await c.req.arrayBuffer())
      if (update.byteLength === 0) throw new AppError('malformed_update', 'Body is empty')
      const { stateVector, etag } = await sync.push(projectId, update, version === undefined ? undefined : Number(version))
      const answer: SyncPushResponse = { stateVector: toBase64Url(stateVector) }
      if (etag) answer.etag = etag
      return c.json(answer, 200)
    })
    .get('/:id/sync', async (c) => {
      const { projectId } = await requireProjectAccess(c, c.req.param('id'))
      const raw = c.req.query('sv') ?? ''
      const sv = raw === '' ? undefined : fromBase64Url(raw)
      if (raw !== '' && !sv) throw new AppError('bad_request', 'sv must be a base64url state vector')
      const { update, stateVector, etag, version } = await sync.pull(projectId, sv)
      // A pull answer always carries the doc's whole delete set (deletions do not move a state vector), so a client
      // polling an unchanged project would download it every time. The ETag names the answer's content: a client
      // that already has exactly this answer gets 304 and no body.
      c.header(STATE_VECTOR_HEADER, toBase64Url(stateVector))
      c.header(DOC_VERSION_HEADER, String(version))
      c.header('ETag', etag)
      c.header('Cache-Control', 'no-store')
      if (c.req.header('if-none-match') === etag) return c.body(null, 304)
      c.header('Content-Type', YJS_UPDATE_CONTENT_TYPE)
      return c.body(update as Uint8Array<ArrayBuffer>, 200)
    })
}
