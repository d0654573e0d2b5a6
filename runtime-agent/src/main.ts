import { startAgent, type RunningAgent } from './agent.ts'
import { parseOptions, USAGE } from './options.ts'

// The CLI: `slipway-runtime --origin <IDE origin> [flags]` (`npx @slipway/runtime-agent …`; in the monorepo
// `pnpm runtime:local -- …`). Prints `SLIPWAY_RUNTIME_URL=…` as its first stdout line once listening;
// SIGINT/SIGTERM tear everything down and exit 0. Exit 2: the flags or variables are wrong or missing (one stderr
// line says which); exit 1: it could not start or crashed.

const parsed = parseOptions(process.argv.slice(2), process.env)
if (parsed.ok === 'help') {
  process.stdout.write(`${USAGE}\n`)
  process.exit(0)
}
if (parsed.ok === false) {
  process.stderr.write(`slipway runtime: ${parsed.error}\n`)
  process.exit(2)
}
const { options, tokenSource } = parsed

let agent: RunningAgent
try {
  agent = await startAgent(options)
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code
  const why = code === 'EADDRINUSE' ? `port ${options.port} is in use (pick another with --port, or 0 for any free one)` : String(error)
  process.stderr.write(`slipway runtime: cannot listen: ${why}\n`)
  process.exit(1)
}

process.stdout.write(
  `SLIPWAY_RUNTIME_URL=${agent.url}\n\n` +
    `Slipway's local runtime is listening on 127.0.0.1:${agent.port} (this machine only).\n` +
    `To use it, paste the whole ws://… address above, token included, into Slipway's settings where the\n` +
    `runtime is chosen. Anyone who has that address can use the runtime, so keep it to yourself.\n` +
    (tokenSource === 'generated'
      ? `The token is new each run; to keep one, put a 256-bit token in SLIPWAY_RUNTIME_TOKEN or in a file only you\n` +
        `can read (--token-file).\n`
      : `The token is the one from ${tokenSource === 'SLIPWAY_RUNTIME_TOKEN' ? tokenSource : tokenSource.file}.\n`) +
    `Browser pages may connect only from ${options.origins.join(', ')}.\n` +
    `Projects live in ${options.dataDir}/projects. Programs started from the IDE (terminals, npm, dev servers)\n` +
    `run here with your own user's rights, like anything you type in a terminal. Press Ctrl+C to stop; that also\n` +
    `stops every program it started.\n`,
)

let stopping = false
async function stop(code: number): Promise<void> {
  if (stopping) return
  stopping = true
  // A teardown that hangs must not keep the agent alive forever.
  setTimeout(() => process.exit(code), 10_000).unref()
  await agent.close().catch((error: unknown) => process.stderr.write(`slipway runtime: teardown failed: ${String(error)}\n`))
  process.exit(code)
}
process.on('SIGINT', () => void stop(0))
process.on('SIGTERM', () => void stop(0))
process.on('SIGHUP', () => void stop(0))
// Dying without a teardown would orphan every process group it started, so a bug tears down first.
process.on('uncaughtException', (error) => {
  process.stderr.write(`slipway runtime: ${error.stack ?? String(error)}\n`)
  void stop(1)
})
