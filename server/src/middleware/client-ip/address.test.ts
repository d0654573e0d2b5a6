import { describe, expect, test } from 'vitest'
import type { IpRange } from './address.ts'
import { clientAddress, formatIp, inRange, parseIp, parseIpRange, rateKey } from './address.ts'

const ranges = (...texts: string[]): IpRange[] =>
  texts.map((t) => {
    const r = parseIpRange(t)
    if (!r) throw new Error(`bad range in test: ${t}`)
    return r
  })

describe('parseIp / formatIp', () => {
  test.each([
    ['192.0.2.1', '192.0.2.1'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
    ['::1', '::1'],
    ['::', '::'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['1::', '1::'],
    ['fe80::1%eth0', 'fe80::1'],
    ['64:ff9b::192.0.2.1', '64:ff9b::c000:201'],
    // IPv4-mapped IPv6 (a dual-stack socket's view of an IPv4 peer) is the IPv4 address.
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::FFFF:c000:0201', '192.0.2.1'],
    ['0:0:0:0:0:ffff:10.0.0.1', '10.0.0.1'],
  ])('%s → %s', (text, shown) => {
    expect(formatIp(parseIp(text)!)).toBe(shown)
  })

  test.each([
    '',
    'unknown',
    '_hidden',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3.-4',
    '1.2.3.4 ',
    ' 1.2.3.4',
    '1.2.3.4:80',
    '[::1]',
    ':::',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7::8:9',
    '12345::1',
    'g::1',
    '::1.2.3',
    '1.2.3.4::',
    'localhost',
    '1e3.0.0.1',
  ])('%j is not an address', (text) => {
    expect(parseIp(text)).toBeUndefined()
  })
})

describe('parseIpRange / inRange', () => {
  test.each([
    ['10.0.0.0/8', '10.255.1.2', true],
    ['10.0.0.0/8', '11.0.0.1', false],
    ['10.1.2.3/8', '10.9.9.9', true], // host bits are ignored
    ['192.0.2.7', '192.0.2.7', true],
    ['192.0.2.7', '192.0.2.8', false],
    ['0.0.0.0/0', '203.0.113.9', true],
    ['0.0.0.0/0', '2001:db8::1', false],
    ['172.16.0.0/12', '172.31.255.255', true],
    ['172.16.0.0/12', '172.32.0.0', false],
    ['2001:db8::/32', '2001:db8:ffff::1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['::1', '::1', true],
    ['::/0', '2001:db8::1', true],
    ['::/0', '192.0.2.1', false],
    // An IPv4 range also matches the IPv4-mapped form a dual-stack socket reports, and a mapped range is IPv4.
    ['10.0.0.0/8', '::ffff:10.0.0.5', true],
    ['::ffff:10.0.0.0/104', '10.1.2.3', true],
    ['::ffff:10.0.0.0/104', '11.1.2.3', false],
    ['fd00::/8', 'fd12:3456::1', true],
  ])('%s contains %s: %s', (range, ip, expected) => {
    expect(inRange(parseIp(ip)!, ranges(range)[0]!)).toBe(expected)
  })

  test.each(['', '10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/-1', '10.0.0/8', 'example.com', '10.0.0.0/8/8', '*'])(
    '%j is not a range',
    (text) => {
      expect(parseIpRange(text)).toBeUndefined()
    },
  )
})

describe('clientAddress', () => {
  const proxies = ranges('10.0.0.0/8', '::1', '127.0.0.1')
  const client = (peer: string, xff: string | undefined, trusted = proxies) => {
    const a = clientAddress(peer, xff, trusted)
    return a && formatIp(a)
  }

  test.each([
    ['no X-Forwarded-For', '203.0.113.5', undefined, '203.0.113.5'],
    ['an untrusted peer: its X-Forwarded-For is ignored', '203.0.113.5', '198.51.100.1', '203.0.113.5'],
    ['an untrusted peer: a spoofed chain is ignored', '203.0.113.5', '198.51.100.1, 10.0.0.2', '203.0.113.5'],
    ['an untrusted IPv6 peer', '2001:db8::5', '198.51.100.1', '2001:db8::5'],
    ['a trusted peer with no header is the client', '10.0.0.2', undefined, '10.0.0.2'],
    ['a trusted peer: the hop it appended', '10.0.0.2', '198.51.100.1', '198.51.100.1'],
    ['a trusted peer: the right-most untrusted hop, not what the client wrote', '10.0.0.2', '1.1.1.1, 198.51.100.1', '198.51.100.1'],
    ['a trusted chain: trusted hops are skipped', '10.0.0.2', '1.1.1.1, 198.51.100.1, 10.9.9.9, 10.0.0.3', '198.51.100.1'],
    ['an all-trusted chain: the left-most hop', '10.0.0.2', '10.0.0.7, 10.0.0.3', '10.0.0.7'],
    ['an empty header from a trusted peer', '10.0.0.2', '', '10.0.0.2'],
    ['garbage right of the client stops at the trusted hop that sent it', '10.0.0.2', '198.51.100.1, unknown', '10.0.0.2'],
    ['garbage after trusted hops stops at the last trusted hop', '10.0.0.2', '198.51.100.1, not-an-ip, 10.0.0.9', '10.0.0.9'],
    ['garbage left of the client is never reached', '10.0.0.2', 'garbage, 198.51.100.1', '198.51.100.1'],
    ['an empty entry is garbage', '10.0.0.2', '198.51.100.1, ', '10.0.0.2'],
    ['an obfuscated identifier is garbage', '10.0.0.2', '_hidden', '10.0.0.2'],
    ['a hop with a port', '10.0.0.2', '198.51.100.1:4711', '198.51.100.1'],
    ['a bracketed IPv6 hop with a port', '10.0.0.2', '[2001:db8::7]:4711', '2001:db8::7'],
    ['a bracketed IPv6 hop', '10.0.0.2', '[2001:db8::7]', '2001:db8::7'],
    ['a bracketed IPv4 hop is garbage', '10.0.0.2', '[198.51.100.1]', '10.0.0.2'],
    ['an IPv6 hop', '10.0.0.2', '2001:db8::7', '2001:db8::7'],
    ['spaces and several headers joined', '10.0.0.2', ' 1.1.1.1 ,198.51.100.1 ,  10.0.0.4 ', '198.51.100.1'],
    ['an IPv4-mapped trusted peer (dual-stack socket)', '::ffff:10.0.0.2', '198.51.100.1', '198.51.100.1'],
    ['an IPv4-mapped hop is the IPv4 client', '10.0.0.2', '::ffff:198.51.100.1', '198.51.100.1'],
    ['an IPv4-mapped untrusted peer', '::ffff:203.0.113.5', '198.51.100.1', '203.0.113.5'],
    ['a trusted IPv6 loopback peer', '::1', '198.51.100.1', '198.51.100.1'],
    ['a trusted peer with a zone', '::1%lo', '198.51.100.1', '198.51.100.1'],
  ])('%s', (_name, peer, xff, expected) => {
    expect(client(peer, xff)).toBe(expected)
  })

  test('nothing is trusted by default', () => {
    expect(client('127.0.0.1', '198.51.100.1', [])).toBe('127.0.0.1')
    expect(client('10.0.0.2', '198.51.100.1', [])).toBe('10.0.0.2')
  })

  test('a peer that is not an address has no client address', () => {
    expect(client('unknown', '198.51.100.1')).toBeUndefined()
  })

  test('a huge header is read from the right and stops at the first untrusted hop', () => {
    const xff = `${'10.0.0.1, '.repeat(1000)}198.51.100.1, 10.0.0.3`
    expect(client('10.0.0.2', xff)).toBe('198.51.100.1')
  })
})

describe('rateKey', () => {
  test.each([
    ['192.0.2.1', '192.0.2.1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:db8:1:3::1', '2001:db8:1:3::/64'],
    ['::1', '::/64'],
  ])('%s → %s', (ip, key) => {
    expect(rateKey(parseIp(ip)!)).toBe(key)
  })

  test('every address of one /64 shares a key; the next /64 does not', () => {
    const a = rateKey(parseIp('2001:db8:aa:bb::1')!)
    expect(rateKey(parseIp('2001:db8:aa:bb:dead:beef:0:1')!)).toBe(a)
    expect(rateKey(parseIp('2001:db8:aa:bc::1')!)).not.toBe(a)
  })
})
