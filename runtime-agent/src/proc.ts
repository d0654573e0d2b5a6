import { readdir, readFile, readlink } from 'node:fs/promises'
import { endianness } from 'node:os'

/// Readers of Linux's /proc: which processes belong to a session and which TCP sockets listen. The parsers are pure
/// and table-tested; the readers return nothing where /proc is missing (other systems), so callers degrade to "no
/// ports seen" and "only the leader's group is signalled".

export interface ProcessInfo {
  pid: number
  ppid: number
  pgid: number
  sid: number
  /// One letter: R, S, D, Z (zombie), T, …
  state: string
}

/// Parses /proc/<pid>/stat. The command name sits in parentheses and may itself contain spaces and parentheses,
/// so fields are counted from the last `)`.
export function parseStat(text: string): ProcessInfo | undefined {
  const open = text.indexOf('(')
  const close = text.lastIndexOf(')')
  if (open < 0 || close < open) return undefined
  const pid = Number(text.slice(0, open).trim())
  const fields = text.slice(close + 1).trim().split(/\s+/)
  const [state, ppid, pgid, sid] = [fields[0], Number(fields[1]), Number(fields[2]), Number(fields[3])]
  if (!state || ![pid, ppid, pgid, sid].every(Number.isInteger)) return undefined
  return { pid, ppid, pgid, sid, state }
}

export interface ListenSocket {
  inode: number
  port: number
  /// The bound address as printed (`0.0.0.0`, `127.0.0.1`, `::`, `::1`, full IPv6 otherwise).
  address: string
  /// Where a loopback client reaches it: `127.0.0.1` for the IPv4 and IPv6 wildcards, else the bound address.
  host: string
}

const LISTEN = '0A'

/// Parses /proc/net/tcp (family 4) or /proc/net/tcp6 (family 6) into its listening sockets.
export function parseNetTcp(text: string, family: 4 | 6): ListenSocket[] {
  const sockets: ListenSocket[] = []
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/)
    if (fields.length < 10 || fields[3] !== LISTEN) continue
    const [address, portHex] = (fields[1] ?? '').split(':')
    const inode = Number(fields[9])
    const port = Number.parseInt(portHex ?? '', 16)
    if (!address || !Number.isInteger(inode) || inode === 0 || !Number.isInteger(port)) continue
    const bytes = procBytes(address)
    const bound = family === 4 ? formatV4(bytes) : formatV6(bytes)
    if (bound !== undefined) sockets.push({ inode, port, address: bound, host: connectHost(bound) })
  }
  return sockets
}

/// The inode of a `socket:[123]` fd link, or undefined for other links.
export function parseSocketLink(link: string): number | undefined {
  const match = /^socket:\[(\d+)\]$/.exec(link)
  return match ? Number(match[1]) : undefined
}

/// Every process on the machine (that can be read).
export async function listProcesses(): Promise<ProcessInfo[]> {
  const names = await readdir('/proc').catch(() => [] as string[])
  const infos = await Promise.all(
    names.filter((n) => /^\d+$/.test(n)).map((n) => readFile(`/proc/${n}/stat`, 'utf8').then(parseStat, () => undefined)),
  )
  return infos.filter((i): i is ProcessInfo => i !== undefined)
}

/// Every listening TCP socket in this network namespace, IPv4 and IPv6.
export async function listListenSockets(): Promise<ListenSocket[]> {
  const [v4, v6] = await Promise.all([
    readFile('/proc/net/tcp', 'utf8').catch(() => ''),
    readFile('/proc/net/tcp6', 'utf8').catch(() => ''),
  ])
  return [...parseNetTcp(v4, 4), ...parseNetTcp(v6, 6)]
}

/// The socket inodes a process holds open (empty when it is gone or not ours to read).
export async function socketInodes(pid: number): Promise<number[]> {
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])
  const links = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')))
  return links.map(parseSocketLink).filter((i): i is number => i !== undefined)
}

// /proc prints addresses as 32-bit words in host byte order.
function procBytes(hex: string): number[] {
  const bytes: number[] = []
  const littleEndian = endianness() === 'LE'
  for (let word = 0; word + 8 <= hex.length; word += 8) {
    const wordBytes: number[] = []
    for (let i = 0; i < 8; i += 2) wordBytes.push(Number.parseInt(hex.slice(word + i, word + i + 2), 16))
    bytes.push(...(littleEndian ? wordBytes.reverse() : wordBytes))
  }
  return bytes
}

function formatV4(bytes: number[]): string | undefined {
  return bytes.length === 4 ? bytes.join('.') : undefined
}

function formatV6(bytes: number[]): string | undefined {
  if (bytes.length !== 16) return undefined
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff
  if (mapped) return `::ffff:${bytes.slice(12).join('.')}`
  const groups: string[] = []
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16))
  const text = groups.join(':')
  if (text === '0:0:0:0:0:0:0:0') return '::'
  if (text === '0:0:0:0:0:0:0:1') return '::1'
  return text
}

// The IPv6 wildcard usually accepts IPv4 too (dual stack), and 127.0.0.1 works even where IPv6 loopback is off.
function connectHost(address: string): string {
  if (address === '0.0.0.0' || address === '::') return '127.0.0.1'
  return address.startsWith('::ffff:') ? connectHost(address.slice(7)) : address
}
