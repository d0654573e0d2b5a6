import { z } from 'zod'
import { LinkIdSchema, Sha256Schema, VersionNumberSchema } from './ids.ts'
import { SHARE_LIMITS } from './limits.ts'

/// Body of `POST /api/projects/:projectId/shares` and `…/shares/:linkId/versions`. The server publishes from the
/// project doc it stores; the client sends only its doc's Yjs state vector (base64url). If the server's doc lacks
/// something in it, the answer is 409 `publish_stale`: sync first, then retry.
export const PublishRequestSchema = z.strictObject({
  stateVector: z
    .string()
    .max(SHARE_LIMITS.maxStateVectorChars, `stateVector must be at most ${SHARE_LIMITS.maxStateVectorChars} characters`)
    .regex(/^[A-Za-z0-9_-]*$/, 'stateVector must be base64url'),
})
export type PublishRequest = z.infer<typeof PublishRequestSchema>

/// Why a file of the project is not in a published version.
/// - `ignored`: a path that is never shared (`.env*`, `node_modules/`, `.git/`, build output).
/// - `too_large`: bigger than a project file may be.
export const OmittedReasonSchema = z.enum(['ignored', 'too_large'])
export type OmittedReason = z.infer<typeof OmittedReasonSchema>

export const ShareVersionSummarySchema = z.object({
  n: VersionNumberSchema,
  createdAt: z.string(),
  fileCount: z.number().int().nonnegative(),
  /// Bytes of all files of the version (UTF-8 for text).
  bytes: z.number().int().nonnegative(),
})
export type ShareVersionSummary = z.infer<typeof ShareVersionSummarySchema>

export const PublishedVersionSchema = ShareVersionSummarySchema.extend({
  omitted: z.array(z.object({ path: z.string(), reason: OmittedReasonSchema })),
})
export type PublishedVersion = z.infer<typeof PublishedVersionSchema>

/// A link as its owner sees it.
export const ShareLinkSchema = z.object({
  id: LinkIdSchema,
  /// Absolute URL of the share page (`PUBLIC_URL` + `/s/<id>`).
  url: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  /// Oldest first; the last one is what `/s/<id>` shows.
  versions: z.array(ShareVersionSummarySchema),
  viewCount: z.number().int().nonnegative(),
  lastViewedAt: z.string().nullable(),
})
export type ShareLink = z.infer<typeof ShareLinkSchema>

/// 201 answer of a publish (a new link or a new version of one).
export const PublishResponseSchema = z.object({ link: ShareLinkSchema, version: PublishedVersionSchema })
export type PublishResponse = z.infer<typeof PublishResponseSchema>

/// 200 answer of `DELETE /api/projects/:projectId/shares/:linkId`: the link as revoked (revoking twice is fine).
export const RevokeResponseSchema = z.object({ link: ShareLinkSchema })

/// `GET /api/projects/:projectId/shares`: newest link first.
export const ShareListSchema = z.object({ links: z.array(ShareLinkSchema) })
export type ShareList = z.infer<typeof ShareListSchema>

export const ManifestFileSchema = z.object({
  path: z.string(),
  size: z.number().int().nonnegative(),
  sha256: Sha256Schema,
  /// Binary content (a `Uint8Array` in the doc) rather than UTF-8 text.
  binary: z.boolean(),
})
export type ManifestFile = z.infer<typeof ManifestFileSchema>

/// `GET /api/s/:linkId` and `GET /api/s/:linkId/v/:n`. Nothing about the owner but a display name.
export const ShareManifestSchema = z.object({
  link: z.object({
    id: LinkIdSchema,
    projectName: z.string(),
    /// The owner's display name, or `null` (show "someone").
    owner: z.string().nullable(),
    /// The newest version number.
    latest: VersionNumberSchema,
  }),
  version: z.object({
    n: VersionNumberSchema,
    createdAt: z.string(),
    /// Sorted by path.
    files: z.array(ManifestFileSchema),
  }),
})
export type ShareManifest = z.infer<typeof ShareManifestSchema>

/// What kind of secret a file looks like it holds (see secrets.ts).
export const SecretKindSchema = z.enum([
  'private_key',
  'anthropic_key',
  'openai_key',
  'aws_access_key',
  'github_token',
  'slack_token',
  'npm_token',
])
export type SecretKind = z.infer<typeof SecretKindSchema>

export const SecretFindingSchema = z.object({ path: z.string(), line: z.number().int().positive(), kind: SecretKindSchema })
export type SecretFinding = z.infer<typeof SecretFindingSchema>

/// `details` of a 422 `secrets_found`: the files to fix (at most `SHARE_LIMITS.maxSecretFindings`, by path), and how
/// many findings there were in all.
export const SecretsFoundDetailsSchema = z.object({ files: z.array(SecretFindingSchema), total: z.number().int() })
export type SecretsFoundDetails = z.infer<typeof SecretsFoundDetailsSchema>

/// `Project.forkedFrom`: the link and version a project was forked from, and the source project's name at fork time
/// (absent from older servers and older forks: additive, so every side still parses the other).
export const ForkedFromSchema = z.object({ linkId: LinkIdSchema, version: VersionNumberSchema, projectName: z.string().max(200).optional() })
export type ForkedFrom = z.infer<typeof ForkedFromSchema>
