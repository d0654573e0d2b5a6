import { expect, test } from 'vitest'
import { digestInline } from '../domain/project-doc.ts'
import { workerDigester } from './digest-worker.ts'

test('the worker digests exactly like the inline digest, small and large batches, texts (whole and in pieces) and bytes', async () => {
  const digest = workerDigester(50)
  const big = 'héllo wörld 🚀 \ud800 '.repeat(20_000)
  const files = [
    { path: 'a.txt', content: big },
    { path: 'b.bin', content: new Uint8Array(100_000).fill(7) },
    { path: 'c.txt', content: '' },
    { path: 'd.txt', content: ['pieces ', 'split in a pair \ud83d', '\ude80 and a lone \udbff'] },
    { path: 'e.bin', content: new Uint8Array(70_000).fill(9) },
    { path: 'f.txt', content: ['\ud83d', '\ud83d', '\ude80', 'x'.repeat(70_000), '\udc00'] },
  ]
  expect(await digest(files)).toEqual(await digestInline(files))
  // Concurrent digests use buffers of their own; a smaller batch after a larger one reuses a buffer.
  const [x, y] = await Promise.all([digest(files), digest(files.slice(3))])
  expect(x).toEqual(await digestInline(files))
  expect(y).toEqual(await digestInline(files.slice(3)))
  expect(await digest(files.slice(4))).toEqual(await digestInline(files.slice(4)))
  expect(await digest([{ path: 'small.txt', content: 'hi' }])).toEqual(await digestInline([{ path: 'small.txt', content: 'hi' }]))
  // After the idle stop, the next large batch starts a new thread.
  await new Promise((r) => setTimeout(r, 120))
  expect(await digest(files)).toEqual(await digestInline(files))
})
