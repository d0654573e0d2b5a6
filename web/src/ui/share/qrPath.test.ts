import { encode } from 'uqr'
import { describe, expect, it } from 'vitest'
import { qrPath } from './qrPath.ts'

describe('qrPath', () => {
  it.each([
    { name: 'nothing dark', modules: [[false, false]], path: '' },
    { name: 'one module', modules: [[false, true]], path: 'M1 0h1v1h-1z' },
    { name: 'a run is one command', modules: [[true, true, true]], path: 'M0 0h3v1h-3z' },
    { name: 'runs split by light modules, rows by y', modules: [[true, false, true], [false, true, true]], path: 'M0 0h1v1h-1zM2 0h1v1h-1zM1 1h2v1h-2z' },
  ])('$name', ({ modules, path }) => expect(qrPath(modules)).toBe(path))

  it('covers exactly the dark modules of a real code', () => {
    const qr = encode('https://slipway.example/s/AbCdEfGhIjKlMnOpQrStUv', { ecc: 'M', border: 0 })
    const dark = new Set<string>()
    for (const [, x, y, w] of qrPath(qr.data).matchAll(/M(\d+) (\d+)h(\d+)/g)) for (let i = 0; i < Number(w); i++) dark.add(`${Number(x) + i},${y}`)
    const expected = qr.data.flatMap((row, y) => row.flatMap((on, x) => (on ? [`${x},${y}`] : [])))
    expect([...dark].sort()).toEqual(expected.sort())
  })
})
