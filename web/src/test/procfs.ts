import { readdir, readFile, readlink } from 'node:fs/promises'

/// Linux `/proc`, read the way FakeWebContainer needs it: which processes a spawn started, which sockets they
/// listen on. Node-only test code.

export interface ProcessInfo {
  readonly pid: number
  readonly ppid: number
  /// Session id: every process a spawn started shares the spawn's session unless it called `setsid` itself.
  readonly sid: number
}

export async function listProcesses(): Promise<ProcessInfo[]> {
  const names = await readdir('/proc')
  const infos = await Promise.all(names.filter((name) => /^\d+$/.test(name)).map((name) => readStat(Number(name))))
  return infos.filter((info): info is ProcessInfo => info !== null)
}

async function readStat(pid: number): Promise<ProcessInfo | null> {
  let stat: string
  try {
    stat = await readFile(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return null
  }
  // The command name may hold spaces and parentheses; the fields after the last ')' are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return { pid, ppid: Number(fields[1]), sid: Number(fields[3]) }
}

/// `roots` (live processes), their descendants, and every process in a session that one of them or one of
/// `sessions` (ids of session leaders that may have exited) leads: orphans re-parented to init stay in their session.
export function processTree(
  processes: readonly ProcessInfo[],
  roots: Iterable<number>,
  sessions: Iterable<number> = [],
): Set<number> {
  const tree = new Set(roots)
  const leaders = new Set(sessions)
  let grew = true
  while (grew) {
    grew = false
    for (const { pid, ppid, sid } of processes) {
      if (tree.has(pid)) continue
      // A dead leader's pid may be reused; the new process holding it is not ours.
      if (tree.has(ppid) || tree.has(sid) || (leaders.has(sid) && !leaders.has(pid))) {
        tree.add(pid)
        grew = true
      }
    }
  }
  return tree
}

/// Inodes of the sockets the processes hold open.
export async function socketInodes(pids: Iterable<number>): Promise<Set<number>> {
  const inodes = new Set<number>()
  await Promise.all(
    [...pids].map(async (pid) => {
      let fds: string[]
      try {
        fds = await readdir(`/proc/${pid}/fd`)
      } catch {
        return
      }
      await Promise.all(
        fds.map(async (fd) => {
          const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')
          const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1]
          if (inode) inodes.add(Number(inode))
        }),
      )
    }),
  )
  return inodes
}

export interface ListeningSocket {
  readonly inode: number
  readonly port: number
  /// The host a client should dial: `127.0.0.1`, or `[::1]` for a socket bound to IPv6 loopback only.
  readonly host: string
}

const TCP_LISTEN = '0A'
const IPV6_LOOPBACK = '00000000000000000000000001000000'

/// Every listening TCP socket on the machine, by inode.
export async function listeningSockets(): Promise<Map<number, ListeningSocket>> {
  const sockets = new Map<number, ListeningSocket>()
  for (const table of ['tcp', 'tcp6'] as const) {
    const text = await readFile(`/proc/net/${table}`, 'utf8').catch(() => '')
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/)
      const [address, portHex] = (fields[1] ?? '').split(':')
      if (fields[3] !== TCP_LISTEN || address === undefined || portHex === undefined) continue
      const inode = Number(fields[9])
      const host = table === 'tcp6' && address === IPV6_LOOPBACK ? '[::1]' : '127.0.0.1'
      sockets.set(inode, { inode, port: parseInt(portHex, 16), host })
    }
  }
  return sockets
}

/// SIGKILLs everything `processTree` finds.
export async function killTree(roots: Iterable<number>, sessions: Iterable<number> = []): Promise<void> {
  const tree = processTree(await listProcesses(), roots, sessions)
  for (const pid of tree) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }
}
