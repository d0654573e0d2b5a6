import { expect, test } from 'vitest'
import { choiceFromQuery, parseConnectUrl, withoutChoice } from './choice.ts'

const token = 'A'.repeat(43)

test('query string picks the local runtime with a token (default port) or a full url', () => {
  expect(choiceFromQuery(`?runtime=local&token=${token}`)).toEqual({ kind: 'local', url: `ws://127.0.0.1:4100/runtime?token=${token}` })
  expect(choiceFromQuery(`?runtime=local&token=${token}&port=4999`)).toEqual({ kind: 'local', url: `ws://127.0.0.1:4999/runtime?token=${token}` })
  expect(choiceFromQuery('?runtime=webcontainer')).toEqual({ kind: 'webcontainer' })
  expect(choiceFromQuery('?x=1')).toBeUndefined()
  expect(choiceFromQuery('?runtime=local&token=short')).toBeUndefined()
})

test('pasted connect URLs: only loopback agents', () => {
  expect(parseConnectUrl(` SLIPWAY_RUNTIME_URL=ws://127.0.0.1:4100/runtime?token=${token}\n`)).toBeDefined()
  expect(parseConnectUrl(`ws://evil.example:4100/runtime?token=${token}`)).toBeUndefined()
  expect(parseConnectUrl('https://127.0.0.1:4100/')).toBeUndefined()
})

test.each<[string, string | undefined]>([
  [`http://localhost:3000/?runtime=local&token=${token}`, '/'],
  [`http://localhost:3000/p/abc?runtime=local&token=${token}&port=4999#x`, '/p/abc#x'],
  [`http://localhost:3000/?runtime=local&url=${encodeURIComponent(`ws://127.0.0.1:4100/runtime?token=${token}`)}&keep=1`, '/?keep=1'],
  ['http://localhost:3000/?runtime=local&token=short', '/'],
  ['http://localhost:3000/?runtime=webcontainer', '/'],
  ['http://localhost:3000/p/abc?keep=1', undefined],
  ['http://localhost:3000/', undefined],
])('withoutChoice(%j) is %j', (href, expected) => {
  expect(withoutChoice(href)).toBe(expected)
})
