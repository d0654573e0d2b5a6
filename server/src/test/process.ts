import { spawn } from 'node:child_process'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { fileURLToPath } from 'node:url'

// These tests run the real entry point in a child process, as `pnpm start` does.
const serverDir = fileURLToPath(new URL('../..', import.meta.url))

export interface Running {
  child: ChildProcessWithoutNullStreams
  url: string
  stderr: () => string
  exit: Promise<number | null>
}

/// `entry`: a built bundle's main.js (relative to server/) instead of the sources through tsx.
export function run(
  env: Record<string, string>,
  entry?: string,
): { child: ChildProcessWithoutNullStreams; output: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, entry ? [entry] : ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, SLIPWAY_WEB_DIR: '/nonexistent', PORT: '0', ...env },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const output = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  )
  return { child, output }
}

export async function start(env: Record<string, string>, entry?: string): Promise<Running> {
  const { child, output } = run(env, entry)
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /ready on (http:\/\/\S+)/.exec(out)
      if (m) resolve(m[1]!)
    })
    void output.then((o) => reject(new Error(`server exited ${o.code}: ${o.stderr}`)))
  })
  return { child, url, stderr: () => stderr, exit: output.then((o) => o.code) }
}

