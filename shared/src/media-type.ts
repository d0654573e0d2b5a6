/// The media type a `Content-Type` header names: its `type/subtype`, lower-cased, without parameters
/// (`Application/JSON; charset=utf-8` → `application/json`). `''` for a missing or empty header. The one place the
/// server, the web app and the runtime agent read a Content-Type.
export function mediaType(contentType: string | null | undefined): string {
  if (!contentType) return ''
  const end = contentType.indexOf(';')
  return (end === -1 ? contentType : contentType.slice(0, end)).trim().toLowerCase()
}
