import { describe, expect, it } from 'vitest'
import { childEnv, withoutLauncher } from './env.ts'

const launchedByPnpm = {
  HOME: '/home/u',
  PNPM_HOME: '/home/u/.local/share/pnpm',
  PATH: '/work/slipway/server/node_modules/.bin:/usr/lib/node_modules/pnpm/dist/node-gyp-bin:/work/slipway/node_modules/.bin:/home/u/bin:/usr/bin',
  NODE_PATH: '/work/slipway/node_modules/.pnpm/tsx/node_modules',
  NODE: '/usr/bin/node',
  INIT_CWD: '/work/slipway',
  PNPM_SCRIPT_SRC_DIR: '/work/slipway/server',
  npm_lifecycle_event: 'runtime:local',
  npm_config_user_agent: 'pnpm/10.34.9 npm/? node/v20.20.2 linux x64',
  pnpm_config_verify_deps_before_run: 'false',
  SLIPWAY_RUNTIME_TOKEN: 'secret-token-value',
}

describe('withoutLauncher', () => {
  it("removes what running through pnpm's script added, keeping the user's own", () => {
    expect(withoutLauncher(launchedByPnpm)).toEqual({
      HOME: '/home/u',
      PNPM_HOME: '/home/u/.local/share/pnpm',
      PATH: '/home/u/bin:/usr/bin',
      SLIPWAY_RUNTIME_TOKEN: 'secret-token-value',
    })
  })

  it('keeps NODE_PATH and PATH as they are when started directly', () => {
    const direct = { PATH: '/opt/tool/node_modules/.bin:/usr/bin', NODE_PATH: '/opt/lib', npm_config_cache: '/x' }
    expect(withoutLauncher(direct)).toEqual({ PATH: '/opt/tool/node_modules/.bin:/usr/bin', NODE_PATH: '/opt/lib' })
  })
})

describe('childEnv', () => {
  it('drops the token, sets terminal defaults, and lets the request override', () => {
    const env = childEnv(launchedByPnpm, { FORCE_COLOR: '0', EXTRA: '1' }, true)
    expect(env.SLIPWAY_RUNTIME_TOKEN).toBeUndefined()
    expect(env).toMatchObject({ TERM: 'xterm-256color', COLORTERM: 'truecolor', FORCE_COLOR: '0', EXTRA: '1', HOME: '/home/u' })
    expect(childEnv({}, undefined, false)).toEqual({ TERM: 'xterm-256color', FORCE_COLOR: '1' })
  })
})
