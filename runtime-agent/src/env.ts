import { delimiter, sep } from 'node:path'

/// The environment spawned processes get: the agent's own, cleaned of what launching it through `npx` or
/// `pnpm runtime:local` added (see `withoutLauncher`) and of its token, plus terminal defaults, plus the request's `extra`.
export function childEnv(base: Readonly<Record<string, string | undefined>>, extra: Record<string, string> | undefined, terminal: boolean): Record<string, string> {
  const env = withoutLauncher(base)
  delete env.SLIPWAY_RUNTIME_TOKEN
  env.TERM = 'xterm-256color'
  env.FORCE_COLOR ??= '1'
  if (terminal) env.COLORTERM ??= 'truecolor'
  return { ...env, ...extra }
}

/// A package manager running a script adds its own variables (`npm_config_*`, `npm_lifecycle_*`, `INIT_CWD`, …),
/// `NODE_PATH`, and every `node_modules/.bin` up the tree to `PATH`. A user's project must not inherit them: `vite`
/// would resolve to Slipway's copy, `require` would find Slipway's packages and `npm` would take pnpm's settings.
/// Pure: returns a cleaned copy; without a script's marker (`npm_lifecycle_event`) only the `npm_*` family goes.
export function withoutLauncher(base: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const launched = base.npm_lifecycle_event !== undefined
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(base)) {
    if (value === undefined || /^npm_/i.test(key) || /^pnpm_config_/i.test(key)) continue
    if (launched && (key === 'INIT_CWD' || key === 'PNPM_SCRIPT_SRC_DIR' || key === 'NODE' || key === 'NODE_PATH')) continue
    env[key] = value
  }
  if (launched && env.PATH !== undefined) {
    const added = (dir: string) => dir.endsWith(`${sep}node_modules${sep}.bin`) || dir.endsWith(`${sep}node-gyp-bin`)
    env.PATH = env.PATH.split(delimiter).filter((dir) => dir !== '' && !added(dir)).join(delimiter)
  }
  return env
}
