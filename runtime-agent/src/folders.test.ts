import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { folderName, ProjectFolders } from './folders.ts'

describe('ProjectFolders', () => {
  it('gives the first connection the project folder and each concurrent one a folder of its own', async () => {
    const folders = new ProjectFolders('/data')
    const a = await folders.acquire('p')
    const b = await folders.acquire('p')
    const c = await folders.acquire('p')
    const other = await folders.acquire('q')
    expect([a.path, b.path, c.path, other.path]).toEqual([
      join('/data', 'projects', 'p'),
      join('/data', 'projects', 'p~2'),
      join('/data', 'projects', 'p~3'),
      join('/data', 'projects', 'q'),
    ])
  })

  it('hands out the lowest free folder again once released', async () => {
    const folders = new ProjectFolders('/data')
    const a = await folders.acquire('p')
    const b = await folders.acquire('p')
    a.release()
    a.release()
    await Promise.resolve()
    await Promise.resolve()
    expect((await folders.acquire('p')).slot).toBe(1)
    b.release()
    expect((await folders.acquire('p')).slot).toBe(2)
    expect((await folders.acquire('p')).slot).toBe(3)
  })

  it('waits for a folder being released (its processes still ending) rather than taking a fresh one', async () => {
    const folders = new ProjectFolders('/data')
    const a = await folders.acquire('p')
    let end!: () => void
    a.release(new Promise<void>((resolve) => (end = resolve)))
    let got: number | undefined
    const next = folders.acquire('p').then((lease) => (got = lease.slot))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(got).toBeUndefined()
    end()
    await next
    expect(got).toBe(1)
  })

  it('a failed teardown still frees the folder', async () => {
    const folders = new ProjectFolders('/data')
    const a = await folders.acquire('p')
    a.release(Promise.reject(new Error('kill failed')))
    expect((await folders.acquire('p')).slot).toBe(1)
  })

  it('names folders P and P~n', () => {
    expect(folderName('abc', 1)).toBe('abc')
    expect(folderName('abc', 2)).toBe('abc~2')
    expect(() => folderName('abc', 0)).toThrow(RangeError)
  })
})
