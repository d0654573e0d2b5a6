import { describe, expect, test } from 'vitest'
import { SHARE_API, parseSharePath, parseVersionNumber, sharePagePath } from './ids.ts'

const id = 'AbCdEfGhIjKlMnOpQrSt-_'

describe('parseSharePath', () => {
  test.each([
    [`/s/${id}`, { linkId: id, version: null }],
    [`/s/${id}/`, { linkId: id, version: null }],
    [`/s/${id}@1`, { linkId: id, version: 1 }],
    [`/s/${id}@42`, { linkId: id, version: 42 }],
    [`/s/${id}@999999999`, { linkId: id, version: 999_999_999 }],
  ])('%s', (path, expected) => expect(parseSharePath(path)).toEqual(expected))

  test.each([
    '/s/',
    '/s',
    `/s/${id.slice(1)}`, // 21 characters
    `/s/${id}A`, // 23 characters
    `/s/${id.slice(0, -1)}=`, // not base64url
    `/s/${id.slice(0, -1)}+`,
    `/s/${id}@`,
    `/s/${id}@0`,
    `/s/${id}@01`,
    `/s/${id}@-1`,
    `/s/${id}@1.5`,
    `/s/${id}@1e3`,
    `/s/${id}@1000000000`,
    `/s/${id}@1@2`,
    `/s/${id}/extra`,
    `/p/${id}`,
    `/api/s/${id}`,
    `/s/${id}%40`,
  ])('refuses %s', (path) => expect(parseSharePath(path)).toBeUndefined())

  test('round-trips sharePagePath', () => {
    expect(parseSharePath(sharePagePath(id))).toEqual({ linkId: id, version: null })
    expect(parseSharePath(sharePagePath(id, 3))).toEqual({ linkId: id, version: 3 })
  })
})

test.each([
  ['1', 1],
  ['10', 10],
  ['0', undefined],
  ['', undefined],
  [' 1', undefined],
  ['1 ', undefined],
  ['0x1', undefined],
  ['+1', undefined],
])('parseVersionNumber(%j) is %j', (text, expected) => expect(parseVersionNumber(text)).toBe(expected))

test('SHARE_API names the routes the server mounts', () => {
  expect(SHARE_API.projectShares('p 1')).toBe('/api/projects/p%201/shares')
  expect(SHARE_API.linkVersions('p', id)).toBe(`/api/projects/p/shares/${id}/versions`)
  expect(SHARE_API.manifest(id)).toBe(`/api/s/${id}`)
  expect(SHARE_API.manifest(id, 2)).toBe(`/api/s/${id}/v/2`)
  expect(SHARE_API.pack(id, 2)).toBe(`/api/s/${id}/v/2/pack`)
  expect(SHARE_API.fork(id, 2)).toBe(`/api/s/${id}/v/2/fork`)
  expect(SHARE_API.blob(id, 'a'.repeat(64))).toBe(`/api/s/${id}/blobs/${'a'.repeat(64)}`)
})
