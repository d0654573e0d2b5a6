import { COEP_META_NAME, CoepSchema, DEFAULT_COEP, type Coep } from '@slipway/shared'

/// What the page learned about where it runs, read once at boot by main.tsx and passed down.
export interface AppEnv {
  /// The Cross-Origin-Embedder-Policy the server sends; `WebContainer.boot({coep})` must use the same value.
  readonly coep: Coep
  /// `crossOriginIsolated` of the page. WebContainer needs it (SharedArrayBuffer).
  readonly crossOriginIsolated: boolean
  /// The page's origin (`https://ide.example.com`): what the local runtime agent must be started with (`--origin`).
  readonly origin: string
}

/// The part of `Document` this module reads, so tests can pass a plain object.
export interface MetaSource {
  querySelector(selectors: string): { getAttribute(name: string): string | null } | null
}

/// The COEP from the content of `<meta name="slipway:coep">`. Missing or unknown values fall back to
/// `DEFAULT_COEP`, which is what the server sends when it is not configured.
export function coepFromMetaContent(content: string | null | undefined): Coep {
  const parsed = CoepSchema.safeParse(content?.trim())
  return parsed.success ? parsed.data : DEFAULT_COEP
}

/// Reads the COEP the server wrote into index.html.
export function readCoep(doc: MetaSource): Coep {
  const meta = doc.querySelector(`meta[name="${COEP_META_NAME}"]`)
  return coepFromMetaContent(meta?.getAttribute('content'))
}

/// Reads the environment from a page scope (`window` in the browser).
export function readAppEnv(scope: { document: MetaSource; crossOriginIsolated?: boolean; location?: { origin: string } }): AppEnv {
  return { coep: readCoep(scope.document), crossOriginIsolated: scope.crossOriginIsolated === true, origin: scope.location?.origin ?? '' }
}

/// The one-line command that installs (through npx) and starts the local runtime agent for an IDE at `origin`. An
/// opaque origin (`'null'`, e.g. a page opened from a file) or none gives a placeholder the person fills in.
export const localRuntimeCommand = (origin: string) =>
  `npx @slipway/runtime-agent --origin ${origin && origin !== 'null' ? origin : '<this page’s origin>'}`
