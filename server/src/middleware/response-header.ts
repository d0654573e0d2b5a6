import type { ServerResponse } from 'node:http'
import type { Context } from 'hono'

/// Sets a response header. On Node it goes straight onto the outgoing response (Node merges it when the response is
/// written; a header the handler's Response also sets wins): a Hono response whose only header is its content type
/// is then written by @hono/node-server without building and reading back a web `Headers` object. Elsewhere
/// (`app.request`), and once the response has started, it is `c.header`.
export function responseHeader(c: Context, name: string, value: string): void {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing
  if (outgoing && !outgoing.headersSent) outgoing.setHeader(name, value)
  else c.header(name, value)
}
