import { z } from 'zod'

/// The Cross-Origin-Embedder-Policy the server sends. The web app must boot WebContainer with the same value
/// (`WebContainer.boot({coep})`), so the server writes it into index.html as `<meta name={COEP_META_NAME}>`.
export const CoepSchema = z.enum(['require-corp', 'credentialless'])
export type Coep = z.infer<typeof CoepSchema>
export const DEFAULT_COEP: Coep = 'require-corp'
export const COEP_META_NAME = 'slipway:coep'

/// Body of `GET /api/health`.
export const HealthSchema = z.object({
  ok: z.literal(true),
  db: z.enum(['pglite', 'postgres']),
  version: z.string(),
})
export type Health = z.infer<typeof HealthSchema>

/// Content types the API accepts on unsafe methods.
export const JSON_CONTENT_TYPE = 'application/json'
export const YJS_UPDATE_CONTENT_TYPE = 'application/vnd.slipway.yjs-update'

/// Default limit for JSON request bodies, in bytes.
export const JSON_BODY_LIMIT = 1024 * 1024
