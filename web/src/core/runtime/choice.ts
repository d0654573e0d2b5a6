import { z } from 'zod'

/// Which runtime the IDE uses. WebContainer is the default; the local runtime is opted into in settings (the
/// agent's connect URL) or with `?runtime=local&token=…[&port=…]` (tests, links from the agent). A choice in the
/// address is stored like one made in settings and then taken out of the address (`withoutChoice`), so the token
/// is not in any URL a person copies afterwards.
export const RuntimeChoiceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('webcontainer') }),
  z.object({ kind: z.literal('local'), url: z.string().regex(/^wss?:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d{1,5}\/runtime\?token=[A-Za-z0-9_-]{16,512}$/) }),
])
export type RuntimeChoice = z.infer<typeof RuntimeChoiceSchema>

export const DEFAULT_AGENT_PORT = 4100

/// A choice from the page's query string, if it names one.
export function choiceFromQuery(search: string): RuntimeChoice | undefined {
  const q = new URLSearchParams(search)
  if (q.get('runtime') === 'webcontainer') return { kind: 'webcontainer' }
  if (q.get('runtime') !== 'local') return undefined
  const url = q.get('url') ?? `ws://127.0.0.1:${q.get('port') ?? DEFAULT_AGENT_PORT}/runtime?token=${q.get('token') ?? ''}`
  return parseConnectUrl(url)
}

/// The agent's connect URL as a person pastes it (whitespace and the `SLIPWAY_RUNTIME_URL=` prefix tolerated).
export function parseConnectUrl(text: string): RuntimeChoice | undefined {
  const url = text.trim().replace(/^SLIPWAY_RUNTIME_URL=/, '')
  const parsed = RuntimeChoiceSchema.safeParse({ kind: 'local', url })
  return parsed.success ? parsed.data : undefined
}

/// Query parameters that carry a runtime choice: `runtime`, and with it `token`, `port` and `url`.
const CHOICE_PARAMS = ['runtime', 'token', 'port', 'url'] as const

/// `href` without the runtime choice in its query (path, the other parameters and the hash unchanged), or undefined
/// when its query names no runtime. Taken out whether or not the choice is valid: a token stays out of the address
/// even when it was mistyped.
export function withoutChoice(href: string): string | undefined {
  const url = new URL(href)
  if (!url.searchParams.has('runtime')) return undefined
  for (const name of CHOICE_PARAMS) url.searchParams.delete(name)
  return url.pathname + url.search + url.hash
}
