import { describe, expect, it } from 'vitest'
import { parseNetTcp, parseSocketLink, parseStat } from './proc.ts'

describe('parseStat', () => {
  it.each([
    ['28888 (cat) R 28883 28883 20309 0 -1 4194304 101', { pid: 28888, ppid: 28883, pgid: 28883, sid: 20309, state: 'R' }],
    ['7 (a b) c)) Z 1 7 7 0', { pid: 7, ppid: 1, pgid: 7, sid: 7, state: 'Z' }],
    ['12 (node) S 1 12 12', { pid: 12, ppid: 1, pgid: 12, sid: 12, state: 'S' }],
  ])('parses %j', (text, expected) => {
    expect(parseStat(text)).toEqual(expected)
  })

  it.each(['', 'garbage', '1 (x) S a b c'])('rejects %j', (text) => {
    expect(parseStat(text)).toBeUndefined()
  })
})

const HEADER4 = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n'
const HEADER6 = '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n'
const line4 = (local: string, st: string, inode: number) =>
  `   0: ${local} 00000000:0000 ${st} 00000000:00000000 00:00000000 00000000   101        0 ${inode} 1 000000008bb1a374 100 0 0 10 0\n`
const line6 = (local: string, st: string, inode: number) =>
  `   0: ${local} 00000000000000000000000000000000:0000 ${st} 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 000000005972639d 100 0 0 10 0\n`

describe('parseNetTcp', () => {
  it('reads IPv4 listeners and skips other states', () => {
    const text = HEADER4 + line4('0100007F:1538', '0A', 5233) + line4('00000000:0BB8', '0A', 5234) + line4('0100007F:1538', '01', 5235) + line4('0200A8C0:0050', '0A', 5236)
    expect(parseNetTcp(text, 4)).toEqual([
      { inode: 5233, port: 0x1538, address: '127.0.0.1', host: '127.0.0.1' },
      { inode: 5234, port: 3000, address: '0.0.0.0', host: '127.0.0.1' },
      { inode: 5236, port: 80, address: '192.168.0.2', host: '192.168.0.2' },
    ])
  })

  it('reads IPv6 listeners: loopback, wildcard, v4-mapped', () => {
    const text =
      HEADER6 +
      line6('00000000000000000000000001000000:18EB', '0A', 1) +
      line6('00000000000000000000000000000000:1F90', '0A', 2) +
      line6('0000000000000000FFFF00000100007F:1F91', '0A', 3) +
      line6('B80D0120000000000000000001000000:1F92', '0A', 4) +
      line6('00000000000000000000000001000000:18EC', '06', 5)
    expect(parseNetTcp(text, 6)).toEqual([
      { inode: 1, port: 0x18eb, address: '::1', host: '::1' },
      { inode: 2, port: 8080, address: '::', host: '127.0.0.1' },
      { inode: 3, port: 8081, address: '::ffff:127.0.0.1', host: '127.0.0.1' },
      { inode: 4, port: 8082, address: '2001:db8:0:0:0:0:0:1', host: '2001:db8:0:0:0:0:0:1' },
    ])
  })

  it('ignores blank and malformed lines', () => {
    expect(parseNetTcp(`${HEADER4}\n  junk\n`, 4)).toEqual([])
    expect(parseNetTcp('', 4)).toEqual([])
  })
})

describe('parseSocketLink', () => {
  it.each([
    ['socket:[12345]', 12345],
    ['pipe:[12345]', undefined],
    ['/dev/null', undefined],
    ['anon_inode:[eventpoll]', undefined],
  ])('%s → %s', (link, inode) => {
    expect(parseSocketLink(link)).toBe(inode)
  })
})
