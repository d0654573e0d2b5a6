import { describe, expect, it } from 'vitest'
import { shellName } from './shellNames.ts'

describe('shellName', () => {
  it.each([
    ['first shell takes the bare name', '/bin/sh', [], 'sh'],
    ['second is numbered from 2', '/bin/sh', ['sh'], 'sh 2'],
    ['third', '/bin/sh', ['sh', 'sh 2'], 'sh 3'],
    ['reuses the lowest free number after one closed', '/bin/sh', ['sh', 'sh 3'], 'sh 2'],
    ['the bare name is free again when the first closed', '/bin/sh', ['sh 2', 'sh 3'], 'sh'],
    ['run tabs do not count', '/bin/sh', ['npm run dev', 'npm install'], 'sh'],
    ['other shells keep their own numbering', '/bin/bash', ['sh', 'sh 2'], 'bash'],
    ['a command without a path', 'jsh', ['jsh'], 'jsh 2'],
    ['order of the tabs does not matter', 'sh', ['sh 4', 'sh 2', 'sh', 'sh 3'], 'sh 5'],
    ['blank command', '  ', [], 'terminal'],
  ] as const)('%s', (_, command, taken, expected) => {
    expect(shellName(command, taken)).toBe(expected)
  })
})
