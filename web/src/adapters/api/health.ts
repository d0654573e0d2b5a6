import { HealthSchema, type Health } from '@slipway/shared'

/// The answer to "is the server there?". Failures are values: the UI shows them, nothing throws.
export type HealthCheck =
  | { readonly state: 'ok'; readonly health: Health }
  | { readonly state: 'error'; readonly reason: string }

/// `fetch` as this module uses it, so tests can pass a plain function.
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>

export const HEALTH_PATH = '/api/health'

/// Asks `GET /api/health` and validates the body with the shared `HealthSchema`.
export async function checkHealth(fetchFn: FetchLike, signal?: AbortSignal): Promise<HealthCheck> {
  let response: Response
  try {
    // Without an explicit Accept, a dev or preview server answers unknown paths with index.html.
    response = await fetchFn(HEALTH_PATH, { headers: { accept: 'application/json' }, cache: 'no-store', signal })
  } catch (error) {
    return { state: 'error', reason: `request failed: ${describe(error)}` }
  }
  if (!response.ok) return { state: 'error', reason: `HTTP ${response.status} from ${HEALTH_PATH}` }

  let body: unknown
  try {
    body = await response.json()
  } catch (error) {
    return { state: 'error', reason: `invalid JSON from ${HEALTH_PATH}: ${describe(error)}` }
  }
  const parsed = HealthSchema.safeParse(body)
  if (!parsed.success) {
    return { state: 'error', reason: `unexpected body from ${HEALTH_PATH}: ${parsed.error.issues[0]?.message ?? 'invalid'}` }
  }
  return { state: 'ok', health: parsed.data }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
