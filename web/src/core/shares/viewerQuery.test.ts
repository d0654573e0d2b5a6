import { describe, expect, it } from 'vitest'
import { parseFileTarget, parseViewerQuery } from './viewerQuery.ts'

describe('parseViewerQuery', () => {
  it.each([
    ['', { view: 'preview' }],
    ['?view=code', { view: 'code' }],
    ['?view=split&path=/about', { view: 'split', path: '/about' }],
    ['?view=nonsense', { view: 'preview' }],
    ['?file=src/App.jsx:L2-L3', { view: 'code', file: { path: 'src/App.jsx', from: 2, to: 3 } }],
    ['?file=src/App.jsx:L2-L3&view=split', { view: 'split', file: { path: 'src/App.jsx', from: 2, to: 3 } }],
    ['?path=/a?b=1', { view: 'preview', path: '/a?b=1' }],
    ['?path=about', { view: 'preview' }],
    ['?path=//evil.example/', { view: 'preview' }],
    ['?path=/a b', { view: 'preview' }],
    [`?path=/${'a'.repeat(3000)}`, { view: 'preview' }],
  ])('%s', (search, expected) => expect(parseViewerQuery(search)).toEqual(expected))
})

describe('parseFileTarget', () => {
  it.each([
    ['server.js', { path: 'server.js' }],
    ['/server.js', { path: 'server.js' }],
    ['server.js:12', { path: 'server.js', from: 12, to: 12 }],
    ['server.js:L12', { path: 'server.js', from: 12, to: 12 }],
    ['server.js#L10-L20', { path: 'server.js', from: 10, to: 20 }],
    ['server.js:L20-L10', { path: 'server.js', from: 10, to: 20 }],
    ['server.js:L0', { path: 'server.js' }],
    ['a:b.js', { path: 'a:b.js' }],
    ['', undefined],
    [':L3', undefined],
  ])('%s', (text, expected) => expect(parseFileTarget(text)).toEqual(expected))
})
