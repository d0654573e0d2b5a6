import { expect, test } from 'vitest'
import { choiceFromQuery, parseConnectUrl } from './choice.ts'

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
