import { expect, test } from 'vitest'
import { tabTitle } from './tabTitle.ts'

test.each([
  ['/bin/bash', 'bash'],
  ['/usr/local/bin/zsh', 'zsh'],
  ['jsh', 'jsh'],
  ['npm run dev', 'npm run dev'],
  ['node ./scripts/x.js', 'node ./scripts/x.js'],
  ['/', '/'],
  ['  ', 'terminal'],
])('tabTitle(%j) = %j', (title, label) => {
  expect(tabTitle(title)).toBe(label)
})
