import { mkdir, mkdtemp, realpath, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RuntimeFailure } from './errors.ts'
import { isInside, pathSegments, resolveEntryInside, resolveEntryItselfInside, resolveInside, toWirePath } from './paths.ts'

describe('pathSegments', () => {
  it.each([
    ['.', []],
    ['./', []],
    ['a/b', ['a', 'b']],
    ['a//b/./c/', ['a', 'b', 'c']],
    ['..a/b..', ['..a', 'b..']],
  ])('%j → %j', (path, segments) => {
    expect(pathSegments(path)).toEqual(segments)
  })

  it.each(['/etc/passwd', '/', '..', '../x', 'a/../b', 'a/..', 'a\0b'])('refuses %j', (path) => {
    expect(() => pathSegments(path)).toThrow(RuntimeFailure)
  })
})

describe('isInside', () => {
  it.each([
    ['/p', '/p', true],
    ['/p', '/p/a', true],
    ['/p', '/pa', false],
    ['/p', '/', false],
    ['/p', '/q/p', false],
  ])('%s contains %s: %s', (root, path, inside) => {
    expect(isInside(root, path)).toBe(inside)
  })
})

describe('resolveInside', () => {
  let root: string
  let outside: string
  beforeAll(async () => {
    const base = await realpath(await mkdtemp(join(tmpdir(), 'slipway-paths-')))
    root = join(base, 'project')
    outside = join(base, 'outside')
    await mkdir(join(root, 'dir'), { recursive: true })
    await mkdir(outside)
    await symlink(outside, join(root, 'out'))
    await symlink('../outside', join(root, 'dir', 'relative-out'))
    await symlink(join(root, 'dir'), join(root, 'in'))
    await symlink(join(outside, 'missing'), join(root, 'dangling'))
    await symlink('loop', join(root, 'loop'))
  })
  afterAll(async () => {
    await rm(join(root, '..'), { recursive: true, force: true })
  })

  const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: RuntimeFailure) => e.code)

  it('resolves paths inside, existing or not', async () => {
    expect(await resolveInside(root, '.')).toBe(root)
    expect(await resolveInside(root, 'dir/new/deeper.txt')).toBe(join(root, 'dir/new/deeper.txt'))
    expect(await resolveInside(root, 'in/x')).toBe(join(root, 'in/x'))
  })

  it.each(['out', 'out/x', 'out/a/b/c', 'dir/relative-out/x', 'dangling', 'dangling/x', 'loop', 'loop/x'])('refuses %j', async (path) => {
    expect(await code(resolveInside(root, path))).toBe('path_refused')
  })

  it('refuses the root itself for entry operations', async () => {
    expect(await code(resolveEntryInside(root, '.'))).toBe('path_refused')
    expect(await code(resolveEntryInside(root, 'dir'))).toBe('ok')
  })

  it('names the entry itself, unfollowed, when only its parent must be inside', async () => {
    expect(await resolveEntryItselfInside(root, 'out')).toBe(join(root, 'out'))
    expect(await resolveEntryItselfInside(root, 'dangling')).toBe(join(root, 'dangling'))
    expect(await resolveEntryItselfInside(root, 'dir/relative-out')).toBe(join(root, 'dir/relative-out'))
    expect(await resolveEntryItselfInside(root, 'in/x')).toBe(join(root, 'in/x'))
    for (const path of ['.', 'out/x', 'dangling/x', 'dir/relative-out/x', 'loop/x', '../x']) {
      expect({ path, code: await code(resolveEntryItselfInside(root, path)) }).toEqual({ path, code: 'path_refused' })
    }
  })

  it('turns absolute paths back into wire paths', () => {
    expect(toWirePath(root, root)).toBe('.')
    expect(toWirePath(root, join(root, 'a', 'b'))).toBe('a/b')
  })
})
