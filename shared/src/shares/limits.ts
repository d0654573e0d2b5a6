import { LIMITS } from '../files/limits.ts'

/// Bounds of share links. The server refuses past them (`limit_exceeded`, 422).
export const SHARE_LIMITS = {
  /// Links a project may have, revoked ones included (revoking is cheap; a new link each time is not unbounded).
  maxLinksPerProject: 50,
  /// Versions one link may hold.
  maxVersionsPerLink: 1_000,
  /// Bytes of the base64url state vector in a publish request (a state vector is ~10 bytes per client).
  maxStateVectorChars: 64 * 1024,
  /// Files of one version and bytes of all of them, as for a project.
  maxFiles: LIMITS.maxFiles,
  maxVersionBytes: LIMITS.maxProjectBytes,
  /// Findings named in a `secrets_found` answer (more are counted, not listed).
  maxSecretFindings: 100,
} as const
