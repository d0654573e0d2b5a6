import { expect, test } from 'vitest'
import { mediaType } from './media-type.ts'

test.each([
  ['application/json', 'application/json'],
  ['Application/JSON; charset=utf-8', 'application/json'],
  ['  application/vnd.slipway.yjs-update ;foo=bar', 'application/vnd.slipway.yjs-update'],
  ['text/html;charset=UTF-8', 'text/html'],
  ['text/html-fragment', 'text/html-fragment'],
  [';charset=utf-8', ''],
  ['', ''],
  [undefined, ''],
  [null, ''],
])('mediaType(%j) is %j', (header, expected) => {
  expect(mediaType(header)).toBe(expected)
})
