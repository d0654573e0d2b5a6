/// IP addresses as the rate limiter sees them: parsing (IPv4, IPv6, IPv4-mapped IPv6), address ranges, the client
/// behind trusted proxies, and the rate-limit key. Pure: strings in, bytes and strings out.

/// An address: 4 bytes (IPv4, IPv4-mapped IPv6 included) or 16 bytes (IPv6).
export type IpBytes = Uint8Array

/// An address range: the first `prefix` bits of `bytes` (host bits are zero).
export interface IpRange {
  bytes: IpBytes
  prefix: number
}

const IPV4_PART = /^(0|[1-9]\d{0,2})$/
const IPV6_GROUP = /^[0-9a-f]{1,4}$/i

function parseIpv4(text: string): IpBytes | undefined {
  const parts = text.split('.')
  if (parts.length !== 4) return undefined
  const bytes = new Uint8Array(4)
  for (let i = 0; i < 4; i++) {
    // Leading zeros are refused: some parsers read them as octal, so "010.0.0.1" has no one meaning.
    if (!IPV4_PART.test(parts[i]!)) return undefined
    const n = Number(parts[i])
    if (n > 255) return undefined
    bytes[i] = n
  }
  return bytes
}

function parseIpv6(text: string): IpBytes | undefined {
  const zone = text.indexOf('%')
  if (zone !== -1) text = text.slice(0, zone)
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const groups = (s: string) => (s === '' ? [] : s.split(':'))
  // An embedded IPv4 address may only end the whole address (`::ffff:192.0.2.1`, `64:ff9b::192.0.2.1`).
  const head = wordsOf(groups(halves[0]!), halves.length === 1)
  const tail = halves.length === 2 ? wordsOf(groups(halves[1]!), true) : []
  if (!head || !tail) return undefined
  const missing = 8 - head.length - tail.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined
  const words = [...head, ...new Array<number>(missing).fill(0), ...tail]
  const bytes = new Uint8Array(16)
  words.forEach((w, i) => {
    bytes[2 * i] = w >> 8
    bytes[2 * i + 1] = w & 255
  })
  return bytes
}

/// 16-bit words of IPv6 groups; the last group may be an IPv4 address (two words) when `v4Last`.
function wordsOf(groups: string[], v4Last: boolean): number[] | undefined {
  const words: number[] = []
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!
    if (v4Last && i === groups.length - 1 && g.includes('.')) {
      const v4 = parseIpv4(g)
      if (!v4) return undefined
      words.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!)
    } else if (IPV6_GROUP.test(g)) words.push(parseInt(g, 16))
    else return undefined
  }
  return words
}

const isV4Mapped = (b: IpBytes) => b.length === 16 && b.subarray(0, 10).every((x) => x === 0) && b[10] === 255 && b[11] === 255

/// An address's bytes, or `undefined` when `text` is not one. IPv4-mapped IPv6 (`::ffff:192.0.2.1`, what a dual-stack
/// socket reports for an IPv4 peer) comes back as IPv4; an IPv6 zone (`%eth0`) is dropped.
export function parseIp(text: string): IpBytes | undefined {
  const bytes = text.includes(':') ? parseIpv6(text) : parseIpv4(text)
  return bytes && isV4Mapped(bytes) ? bytes.slice(12) : bytes
}

/// `192.0.2.0/24`, `2001:db8::/32` or a single address; host bits are cleared. An IPv4-mapped IPv6 range of /96 or
/// longer is the IPv4 range it maps. `undefined` when `text` is neither.
export function parseIpRange(text: string): IpRange | undefined {
  const slash = text.indexOf('/')
  const raw = slash === -1 ? text : text.slice(0, slash)
  const full = raw.includes(':') ? parseIpv6(raw) : parseIpv4(raw)
  if (!full) return undefined
  let prefix = full.length * 8
  if (slash !== -1) {
    const p = text.slice(slash + 1)
    if (!/^\d{1,3}$/.test(p) || Number(p) > prefix) return undefined
    prefix = Number(p)
  }
  let bytes = full
  if (isV4Mapped(full) && prefix >= 96) {
    bytes = full.slice(12)
    prefix -= 96
  }
  return { bytes: masked(bytes, prefix), prefix }
}

function masked(bytes: IpBytes, prefix: number): IpBytes {
  const out = new Uint8Array(bytes.length)
  for (let i = 0; i < bytes.length; i++) {
    const bits = Math.max(0, Math.min(8, prefix - 8 * i))
    out[i] = bytes[i]! & ((0xff << (8 - bits)) & 0xff)
  }
  return out
}

/// Whether `ip` lies in `range` (IPv4 only ever matches IPv4 ranges, IPv6 only IPv6).
export function inRange(ip: IpBytes, range: IpRange): boolean {
  if (ip.length !== range.bytes.length) return false
  const m = masked(ip, range.prefix)
  for (let i = 0; i < m.length; i++) if (m[i] !== range.bytes[i]) return false
  return true
}

const inAny = (ip: IpBytes, ranges: readonly IpRange[]) => ranges.some((r) => inRange(ip, r))

/// One X-Forwarded-For entry: an address, optionally with a port (`192.0.2.1:4711`, `[2001:db8::1]:4711`).
function parseHop(entry: string): IpBytes | undefined {
  const s = entry.trim()
  if (s.startsWith('[')) {
    const close = s.indexOf(']')
    if (close === -1) return undefined
    const rest = s.slice(close + 1)
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return undefined
    const inner = s.slice(1, close)
    return inner.includes(':') ? parseIp(inner) : undefined
  }
  const v4WithPort = /^([\d.]+):\d{1,5}$/.exec(s)
  return parseIp(v4WithPort ? v4WithPort[1]! : s)
}

/// The client's address. The TCP peer, unless the peer is a trusted proxy: then `X-Forwarded-For` is read from the
/// right (each proxy appends the address it was reached from) and the first hop that is not trusted is the client.
/// A hop that is not an address stops the walk at the trusted hop that handed it over, so a forged or mangled header
/// never yields a key of the sender's choosing; a chain of trusted hops only yields its left-most one. `undefined`
/// when the peer itself is not an address.
export function clientAddress(peer: string, forwardedFor: string | undefined, trusted: readonly IpRange[]): IpBytes | undefined {
  let address = parseIp(peer)
  if (!address || forwardedFor === undefined || !inAny(address, trusted)) return address
  const hops = forwardedFor.split(',')
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseHop(hops[i]!)
    if (!hop) return address
    address = hop
    if (!inAny(hop, trusted)) return hop
  }
  return address
}

const hex = (b: IpBytes, word: number) => ((b[2 * word]! << 8) | b[2 * word + 1]!).toString(16)

/// The address in its usual text form (IPv6 per RFC 5952: lower case, the longest run of zero groups as `::`).
export function formatIp(b: IpBytes): string {
  if (b.length === 4) return b.join('.')
  const words = Array.from({ length: 8 }, (_, i) => hex(b, i))
  let best = -1
  let bestLen = 1
  for (let i = 0; i < 8; ) {
    let j = i
    while (j < 8 && words[j] === '0') j++
    if (j - i > bestLen) [best, bestLen] = [i, j - i]
    i = j === i ? i + 1 : j
  }
  if (best === -1) return words.join(':')
  return `${words.slice(0, best).join(':')}::${words.slice(best + bestLen).join(':')}`
}

/// The rate-limit key of an address: IPv4 as is; IPv6 by its /64, the smallest block a provider hands one customer
/// (anyone with one IPv6 address can use all 2^64 of its neighbours).
export function rateKey(b: IpBytes): string {
  return b.length === 4 ? formatIp(b) : `${formatIp(masked(b, 64))}/64`
}
