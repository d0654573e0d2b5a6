import { expect, test } from 'vitest'
import { listeningUrl } from './listeningUrl.ts'

test.each([
  ['127.0.0.1', 'http://127.0.0.1:3000'],
  ['::1', 'http://[::1]:3000'],
  ['192.168.1.20', 'http://192.168.1.20:3000'],
  ['fe80::1', 'http://[fe80::1]:3000'],
  ['0.0.0.0', 'http://127.0.0.1:3000'],
  ['::', 'http://localhost:3000'],
])('listening on %s is %s', (address, url) => {
  expect(listeningUrl(address, 3000)).toBe(url)
})
