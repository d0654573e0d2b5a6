export {
  LINK_ID_LENGTH,
  LINK_ID_PATTERN,
  LinkIdSchema,
  SHA256_PATTERN,
  SHARE_API,
  Sha256Schema,
  VERSION_PATTERN,
  VersionNumberSchema,
  isLinkId,
  parseSharePath,
  parseVersionNumber,
  sharePagePath,
} from './ids.ts'
export type { SharePath } from './ids.ts'
export { SHARE_LIMITS } from './limits.ts'
export { PACK_CONTENT_TYPE, PackError, decodePack, encodePack, encodePackEntries, encodePackHeader, packSize, sha256Hex, verifyPack } from './pack.ts'
export type { PackEntry } from './pack.ts'
export {
  ForkedFromSchema,
  ManifestFileSchema,
  OmittedReasonSchema,
  PublishRequestSchema,
  PublishResponseSchema,
  PublishedVersionSchema,
  RevokeResponseSchema,
  SecretFindingSchema,
  SecretKindSchema,
  SecretsFoundDetailsSchema,
  ShareLinkSchema,
  ShareListSchema,
  ShareManifestSchema,
  ShareVersionSummarySchema,
} from './schemas.ts'
export type {
  ForkedFrom,
  ManifestFile,
  OmittedReason,
  PublishRequest,
  PublishResponse,
  PublishedVersion,
  SecretFinding,
  SecretKind,
  SecretsFoundDetails,
  ShareLink,
  ShareList,
  ShareManifest,
  ShareVersionSummary,
} from './schemas.ts'
export { findSecrets } from './secrets.ts'
export type { SecretHit } from './secrets.ts'
