import type { MiddlewareHandler } from 'hono'
import { AppError } from '../../errors.ts'

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]']

/// The origins that are this app's own: `publicUrl`'s, the `extra` ones, and, when `publicUrl` is on a loopback name
/// (the default `http://localhost:$PORT`), the other loopback names on the same scheme and port, so whichever of
/// `localhost`, `127.0.0.1` or `[::1]` a person types is the app. A name that DNS answers for is never added.
export function ownOrigins(publicUrl: URL, extra: readonly string[] = []): string[] {
  const origins = new Set([publicUrl.origin, ...extra.map((o) => new URL(o).origin)])
  if (LOOPBACK_NAMES.includes(publicUrl.hostname)) {
    for (const name of LOOPBACK_NAMES) origins.add(`${publicUrl.protocol}//${name}${publicUrl.port ? `:${publicUrl.port}` : ''}`)
  }
  return [...origins]
}

/// The `Host` values that name one of `origins`: `host` and `host:port`, the scheme's default port written out too.
function hostsOf(origins: readonly string[]): Set<string> {
  const hosts = new Set<string>()
  for (const origin of origins) {
    const u = new URL(origin)
    hosts.add(u.host)
    if (u.port === '') hosts.add(`${u.hostname}:${u.protocol === 'https:' ? 443 : 80}`)
  }
  return hosts
}

/// The authority of an absolute URL (`c.req.url` is always one), lower-cased.
function authorityOf(url: string): string {
  const start = url.indexOf('//') + 2
  const end = url.indexOf('/', start)
  return url.slice(start, end === -1 ? url.length : end).toLowerCase()
}

export interface HostGuardOptions {
  /// The app's own origins (`ownOrigins`); a request must name one of their hosts.
  origins: readonly string[]
  /// Paths answered whatever the Host (a load balancer's or container's health check uses an internal name).
  exempt: readonly string[]
}

/// 421 `misdirected_request` for a request addressed to a host that is not the app's own. A DNS-rebinding page
/// reaches the server under the attacker's name (`Host: evil.example`) with that name as its origin, so neither its
/// requests nor its Origin can be taken for the app's.
export function hostGuard(options: HostGuardOptions): MiddlewareHandler {
  const hosts = hostsOf(options.origins)
  const exempt = new Set(options.exempt)
  return function hostGuard(c, next) {
    if (exempt.has(c.req.path)) return next()
    // The URL's authority is what routing and the app see (the Host header, or an absolute-form target's); a Host
    // header, when sent, must agree.
    const header = c.req.header('host')
    if (!hosts.has(authorityOf(c.req.url)) || (header !== undefined && !hosts.has(header.trim().toLowerCase()))) {
      throw new AppError('misdirected_request', 'This server does not answer for that host')
    }
    return next()
  }
}
