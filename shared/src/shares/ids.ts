import { z } from 'zod'

/// A link id: 22 base64url characters (132 random bits), independent of the project id. The server stores only its
/// sha256 hash for lookups.
export const LINK_ID_LENGTH = 22
export const LINK_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/
export const LinkIdSchema = z.string().regex(LINK_ID_PATTERN, 'expected a share link id (22 base64url characters)')

/// A version number of a link: 1, 2, 3 … as written in a path (no sign, no leading zero, at most 9 digits).
export const VERSION_PATTERN = /^[1-9][0-9]{0,8}$/
export const VersionNumberSchema = z.number().int().min(1).max(999_999_999)

/// A blob's address: the lowercase hex sha256 of its bytes.
export const SHA256_PATTERN = /^[0-9a-f]{64}$/
export const Sha256Schema = z.string().regex(SHA256_PATTERN, 'expected a lowercase hex sha256')

/// `'12'` → 12; anything that is not a well-formed version number → `undefined`.
export function parseVersionNumber(text: string): number | undefined {
  return VERSION_PATTERN.test(text) ? Number(text) : undefined
}

export function isLinkId(text: string): boolean {
  return LINK_ID_PATTERN.test(text)
}

export interface SharePath {
  linkId: string
  /// `null`: the latest version (`/s/<id>`); a number: that pinned version (`/s/<id>@<n>`).
  version: number | null
}

/// Parses the pathname of a share page, `/s/<id>` or `/s/<id>@<n>` (one trailing slash allowed); `undefined` for
/// anything else, including a malformed id or version.
export function parseSharePath(pathname: string): SharePath | undefined {
  const m = /^\/s\/([^/@]+)(?:@([^/]*))?\/?$/.exec(pathname)
  if (!m || !isLinkId(m[1]!)) return undefined
  if (m[2] === undefined) return { linkId: m[1]!, version: null }
  const version = parseVersionNumber(m[2])
  return version === undefined ? undefined : { linkId: m[1]!, version }
}

/// The share page path of a link (latest) or of one pinned version.
export function sharePagePath(linkId: string, version?: number | null): string {
  return version == null ? `/s/${linkId}` : `/s/${linkId}@${version}`
}

/// Every share route of the HTTP API, as the server mounts them and the client calls them.
export const SHARE_API = {
  /// GET (owner): the project's links. POST (owner): a new link with version 1, body `PublishRequest`.
  projectShares: (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}/shares`,
  /// DELETE (owner): revokes the link.
  projectShare: (projectId: string, linkId: string) => `/api/projects/${encodeURIComponent(projectId)}/shares/${linkId}`,
  /// POST (owner): publishes the next version at the same link, body `PublishRequest`.
  linkVersions: (projectId: string, linkId: string) => `/api/projects/${encodeURIComponent(projectId)}/shares/${linkId}/versions`,
  /// GET (anyone with the id): the manifest of the latest version, or of version `n`; `ETag` / `If-None-Match`.
  manifest: (linkId: string, version?: number | null) => (version == null ? `/api/s/${linkId}` : `/api/s/${linkId}/v/${version}`),
  /// GET (anyone with the id): one blob of the link, immutable.
  blob: (linkId: string, sha256: string) => `/api/s/${linkId}/blobs/${sha256}`,
  /// GET (anyone with the id): every blob of version `n` in one response (see pack.ts), immutable.
  pack: (linkId: string, version: number) => `/api/s/${linkId}/v/${version}/pack`,
  /// POST (signed in): copies version `n` into a new project of the caller's; 201 `{ project }`.
  fork: (linkId: string, version: number) => `/api/s/${linkId}/v/${version}/fork`,
} as const
