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
  /// Structs (items, GC ranges, skips) in one sync update: the server applies a push in one piece, ~4.5 µs per struct
  /// at worst (100,000 inserts each splitting a stored item: 0.45 s), so this bounds how long one push can hold the
  /// event loop. A 10,000-file project encodes in ~20,000.
  maxUpdateStructs: 100_000,
  /// Ranges in one sync update's delete set (100,000 ranges splitting one stored item: ~0.5 s).
  maxUpdateDeleteRanges: 100_000,
  /// Bytes of a path, UTF-8.
  maxPathBytes: 512,
  /// Bytes of a JSON request body.
  maxJsonBytes: 1024 * 1024,
} as const
