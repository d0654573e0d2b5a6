/// Bounds of the AI assistant. The server refuses a request past them (413 `payload_too_large` for the body, 400
/// `invalid_body` for a count); the browser's agent loop keeps to the ones that concern it.
export const AI_LIMITS = {
  /// Bytes of one `POST /api/ai/messages` body (the whole conversation, its tool results and context blocks).
  maxBodyBytes: 2 * 1024 * 1024,
  /// Messages in one conversation sent to the server.
  maxMessages: 400,
  /// Content blocks in one message.
  maxBlocksPerMessage: 64,
  /// Characters of one text block or one tool result.
  maxTextChars: 256 * 1024,
  /// Context blocks (open file, selection, run error, console errors) attached to one request, and their characters.
  maxContextBlocks: 8,
  maxContextChars: 200 * 1024,
  /// Tool rounds (a model answer that calls tools, then their results) in one turn of the person's.
  maxToolRounds: 25,
  /// Characters of one tool result the browser sends back (a longer one is cut and says so).
  maxToolResultChars: 64 * 1024,
  /// A command the assistant runs: its captured output (bytes, the rest is cut) and how long it may run.
  maxCommandOutputBytes: 64 * 1024,
  commandTimeoutMs: 120_000,
  /// Lines `read_file` returns at most in one call.
  maxReadLines: 2_000,
  /// Files `list_files` names at most, and matches `search` returns at most.
  maxListedFiles: 2_000,
  maxSearchMatches: 200,
  /// Concurrent streams one user may hold open (a third is refused with 429 `rate_limited`).
  maxConcurrentStreams: 2,
} as const
