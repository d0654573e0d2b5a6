import type { Context } from 'hono'
import type { IpRange } from './address.ts'
import { clientAddress, rateKey } from './address.ts'

export type { IpRange } from './address.ts'
export { parseIpRange } from './address.ts'

/// Builds the function that names a request's client for rate limits: its address (the TCP peer, or the right-most
/// untrusted `X-Forwarded-For` hop when the peer is one of `trustedProxies`; see `clientAddress`), with IPv6 clients
/// keyed by their /64.
export function clientKeyOf(trustedProxies: readonly IpRange[]) {
  return function clientKey(c: Context): string {
    const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined
    const peer = env?.incoming?.socket?.remoteAddress
    if (peer === undefined) return 'unknown'
    // The header is read only from a trusted peer (inside clientAddress); nobody else can choose their key.
    const forwarded = trustedProxies.length > 0 ? c.req.header('x-forwarded-for') : undefined
    const address = clientAddress(peer, forwarded, trustedProxies)
    return address ? rateKey(address) : 'unknown'
  }
}

export type ClientKey = ReturnType<typeof clientKeyOf>
