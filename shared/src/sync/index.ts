import { z } from 'zod'

/// The project document: `doc.getMap(FILES_MAP)` maps a project path (see `checkProjectPath`) to a `Y.Text` for a
/// text file or a `Uint8Array` for a binary file. Nothing else in the doc is meaningful.
export const FILES_MAP = 'files'

/// Body of `POST /api/projects/:id/sync`: a raw Yjs update (V1 encoding) with this content type. The answer to
/// `GET …/sync?sv=` uses it too.
export { YJS_UPDATE_CONTENT_TYPE } from '../config.ts'

/// Answer to a sync push: the server's state vector after the merge, base64url.
export const SyncPushResponseSchema = z.object({ stateVector: z.string() })
export type SyncPushResponse = z.infer<typeof SyncPushResponseSchema>

/// Header on sync answers: the server's state vector (base64url), so a pull also tells the client what the
/// server has.
export const STATE_VECTOR_HEADER = 'X-Slipway-State-Vector'
