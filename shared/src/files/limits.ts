/// Limits on what a project may hold. The server rejects a sync update that would break one (whole update, nothing
/// stored); the web app checks the same numbers before it writes.
export const LIMITS = {
  /// Bytes of one file (UTF-8 for text files).
  maxFileBytes: 5 * 1024 * 1024,
  /// Bytes of all files of a project together.
  maxProjectBytes: 50 * 1024 * 1024,
  maxFiles: 10_000,
  /// Bytes of one sync request body (a Yjs update).
  maxUpdateBytes: 10 * 1024 * 1024,
  /// Structs (items, GC ranges, skips) in one sync update. A push is applied in one piece; past this it must be sent
  /// in parts. Generous: a 10,000-file project with a long edit history encodes in far fewer.
  maxUpdateStructs: 250_000,
  /// Ranges in one sync update's delete set.
  maxUpdateDeleteRanges: 250_000,
  /// Bytes of a path, UTF-8.
  maxPathBytes: 512,
  /// Bytes of a JSON request body.
  maxJsonBytes: 1024 * 1024,
} as const
