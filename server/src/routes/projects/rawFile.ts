import { getMimeType } from 'hono/utils/mime'

/// The headers a raw project file is served with (`GET /api/projects/:id/files/<path>`), on the app's own origin, so
/// a file must never act as a page of the app there:
/// - types a browser would run or render as a document (HTML, XML, SVG, JavaScript) are sent as plain text;
/// - TypeScript (`.ts` `.tsx` `.mts` `.cts`) is plain text too, not `video/mp2t`, the registry's type for `.ts`;
/// - only images (SVG is not one here) and plain text are `inline`; everything else (PDF, JSON, media, fonts,
///   archives, unknown bytes…) is an `attachment`, so navigating to it downloads it instead of opening a viewer.
/// Pure: the path and the bytes in, the headers out. nosniff comes from the security-headers middleware.
export function rawFileHeaders(path: string, content: Uint8Array): { 'Content-Type': string; 'Content-Disposition': string } {
  const type = contentType(path, content)
  const inline = type.startsWith('text/plain;') || (type.startsWith('image/') && !type.startsWith('image/svg'))
  return { 'Content-Type': type, 'Content-Disposition': contentDisposition(inline ? 'inline' : 'attachment', basename(path)) }
}

/// Types a browser would run or render as a document when opened from our origin.
const ACTIVE_TYPES = /^(text\/html|application\/xhtml\+xml|image\/svg\+xml|text\/xml|application\/xml|text\/javascript|application\/javascript)/

const TYPESCRIPT = /\.(ts|tsx|mts|cts)$/i

const PLAIN_TEXT = 'text/plain; charset=utf-8'

function contentType(path: string, content: Uint8Array): string {
  if (TYPESCRIPT.test(path)) return PLAIN_TEXT
  const mime = getMimeType(path)
  if (mime) return ACTIVE_TYPES.test(mime) ? PLAIN_TEXT : mime
  // Unknown extension: text if it decodes as UTF-8.
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(content)
    return PLAIN_TEXT
  } catch {
    return 'application/octet-stream'
  }
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}

/// RFC 6266: a quoted ASCII `filename` (anything else, and `"` `\` `%`, become `_`) and the exact name as
/// `filename*` (RFC 8187) when they differ.
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_')
  const exact = ascii === name ? '' : `; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`
  return `${kind}; filename="${ascii}"${exact}`
}
