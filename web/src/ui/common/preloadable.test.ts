import { createElement, Suspense } from 'react'
import { renderToString } from 'react-dom/server'
import { expect, test } from 'vitest'
import { preloadable } from './preloadable.ts'

const Hello = ({ name }: { name: string }) => createElement('p', null, `hello ${name}`)
const page = (C: ReturnType<typeof preloadable<{ name: string }>>) =>
  renderToString(createElement(Suspense, { fallback: createElement('i', null, 'loading') }, createElement(C, { name: 'you' })))

test('a preloaded component renders at once, without showing the fallback', async () => {
  let loads = 0
  const C = preloadable(async () => (loads++, Hello))
  await C.preload()
  expect(page(C)).toBe('<!--$--><p>hello you</p><!--/$-->')
  expect(loads).toBe(1)
})

test('one not loaded yet suspends to the fallback, and is fetched once', async () => {
  let loads = 0
  const C = preloadable(() => new Promise<typeof Hello>((r) => setTimeout(() => (loads++, r(Hello)), 10)))
  expect(page(C)).toContain('loading')
  await C.preload()
  expect(page(C)).toBe('<!--$--><p>hello you</p><!--/$-->')
  expect(loads).toBe(1)
})

test('a chunk that failed to load is tried again', async () => {
  let attempts = 0
  const C = preloadable(async () => {
    attempts++
    if (attempts === 1) throw new Error('offline')
    return Hello
  })
  await expect(C.preload()).rejects.toThrow('offline')
  await C.preload()
  expect(page(C)).toBe('<!--$--><p>hello you</p><!--/$-->')
})

test('a chunk that failed to load renders as its error (for the error boundary), not as a fallback that never ends', async () => {
  let attempts = 0
  const C = preloadable<{ name: string }>(async () => {
    attempts++
    throw new Error('offline')
  })
  await expect(C.preload()).rejects.toThrow('offline')
  // Outside Suspense a render that suspended again would throw React's own error instead.
  expect(() => renderToString(createElement(C, { name: 'you' }))).toThrow('offline')
  expect(attempts).toBe(1)
})
