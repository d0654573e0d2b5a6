import { existsSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { listProcesses, type ProcessInfo } from './proc.ts'

/// A spawned process leads its own session (setsid: `detached` pipes and node-pty both do it), so its session is the
/// tree it started, including a shell's jobs, which get process groups of their own. Processes that leave the session
/// on purpose (daemons calling setsid) are not followed.

const hasProc = existsSync('/proc/self/stat')

/// The live (non-zombie) members of the session led by `leader`, or, where there is no /proc, of its process group.
export async function sessionMembers(leader: number): Promise<ProcessInfo[]> {
  if (!hasProc) return groupAlive(leader) ? [{ pid: leader, ppid: 0, pgid: leader, sid: leader, state: 'R' }] : []
  return (await listProcesses()).filter((p) => (p.sid === leader || p.pgid === leader) && p.state !== 'Z')
}

/// Sends `signals` to every process group and process of the session, waits up to `graceMs` for all to go, then
/// sends SIGKILL and waits (up to a few seconds more) until nothing is left.
export async function killSession(leader: number, signals: NodeJS.Signals[], graceMs: number): Promise<void> {
  await signalSession(leader, signals)
  if (await waitGone(leader, graceMs)) return
  await signalSession(leader, ['SIGKILL'])
  await waitGone(leader, 3000)
}

async function signalSession(leader: number, signals: NodeJS.Signals[]): Promise<void> {
  const members = await sessionMembers(leader)
  const groups = new Set([leader, ...members.map((m) => m.pgid)])
  for (const signal of signals) {
    for (const group of groups) trySignal(-group, signal)
    for (const member of members) trySignal(member.pid, signal)
  }
}

async function waitGone(leader: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  for (;;) {
    if ((await sessionMembers(leader)).length === 0) return true
    if (Date.now() >= deadline) return false
    await sleep(25)
  }
}

function groupAlive(group: number): boolean {
  try {
    process.kill(-group, 0)
    return true
  } catch {
    return false
  }
}

function trySignal(target: number, signal: NodeJS.Signals): void {
  try {
    process.kill(target, signal)
  } catch {
    // Already gone, or never ours to signal.
  }
}
