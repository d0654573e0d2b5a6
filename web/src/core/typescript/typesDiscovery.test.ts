import { describe, expect, test } from 'vitest'
import {
  candidatesFor,
  declarationImports,
  discoverTypes,
  installChanged,
  joinRelative,
  packageOfSpecifier,
  typeEntries,
  typesPackageOf,
  type TypesFs,
} from './typesDiscovery.ts'

/// A node_modules as a flat map of files; folders are implied. Counts reads so tests can check incrementality.
function fakeFs(files: Record<string, string>) {
  const reads: string[] = []
  const fs: TypesFs = {
    async readdir(path) {
      const prefix = path + '/'
      const names = new Map<string, 'file' | 'directory'>()
      for (const f of Object.keys(files)) {
        if (!f.startsWith(prefix)) continue
        const rest = f.slice(prefix.length)
        const slash = rest.indexOf('/')
        names.set(slash < 0 ? rest : rest.slice(0, slash), slash < 0 ? 'file' : 'directory')
      }
      if (!names.size) throw new Error(`ENOENT: ${path}`)
      return [...names].map(([name, kind]) => ({ name, kind }))
    },
    async readFile(path) {
      reads.push(path)
      const f = files[path]
      if (f === undefined) throw new Error(`ENOENT: ${path}`)
      return f
    },
  }
  return { fs, reads }
}

const pkg = (o: object) => JSON.stringify(o)

const NODE_MODULES = {
  // Types via package.json "types", importing a sibling with a .js extension (ESM style) and another package.
  'node_modules/zod/package.json': pkg({ name: 'zod', version: '4.0.0', types: './index.d.ts', main: './index.js', description: 'dropped' }),
  'node_modules/zod/index.d.ts': "export * from './v4/core.js'\nimport type { X } from 'other-lib'\n",
  'node_modules/zod/v4/core.d.ts': 'export declare const z: number\n',
  'node_modules/zod/index.js': 'module.exports = {}',
  // Types only via exports conditions, plus a top-level client.d.ts (like vite/client).
  'node_modules/vite/package.json': pkg({
    name: 'vite',
    version: '8.0.0',
    exports: { '.': { import: { types: './dist/node/index.d.ts', default: './dist/node/index.js' } }, './client': { types: './client.d.ts' }, './package.json': './package.json' },
  }),
  'node_modules/vite/dist/node/index.d.ts': "/// <reference types=\"node\" />\nimport { Plugin } from 'rollup'\nexport { Plugin }\n",
  'node_modules/vite/client.d.ts': "/// <reference path=\"./types/importMeta.d.ts\" />\ndeclare module '*.svg' { const s: string; export default s }\n",
  'node_modules/vite/types/importMeta.d.ts': 'interface ImportMeta { env: unknown }\n',
  'node_modules/rollup/package.json': pkg({ name: 'rollup', version: '4.0.0', types: 'dist/rollup.d.ts' }),
  'node_modules/rollup/dist/rollup.d.ts': 'export interface Plugin { name: string }\n',
  // No types of its own; @types/react has them.
  'node_modules/react/package.json': pkg({ name: 'react', version: '19.0.0', main: 'index.js' }),
  'node_modules/react/index.js': '',
  'node_modules/@types/react/package.json': pkg({ name: '@types/react', version: '19.0.1', types: 'index.d.ts', exports: { '.': { types: './index.d.ts' }, './jsx-runtime': { types: './jsx-runtime.d.ts' } } }),
  'node_modules/@types/react/index.d.ts': "import * as CSS from 'csstype'\nexport = React\n",
  'node_modules/@types/react/jsx-runtime.d.ts': "import './'\nexport {}\n",
  'node_modules/csstype/package.json': pkg({ name: 'csstype', version: '3.1.3', types: 'index.d.ts' }),
  'node_modules/csstype/index.d.ts': 'export type Property = string\n',
  'node_modules/@types/node/package.json': pkg({ name: '@types/node', version: '22.0.0', types: 'index.d.ts' }),
  'node_modules/@types/node/index.d.ts': '/// <reference path="fs.d.ts" />\n',
  'node_modules/@types/node/fs.d.ts': "declare module 'fs' { export function readFileSync(p: string): string }\n",
  'node_modules/@types/babel__core/package.json': pkg({ name: '@types/babel__core', version: '7.0.0', types: 'index.d.ts' }),
  'node_modules/@types/babel__core/index.d.ts': 'export declare const version: string\n',
  // Untyped, and nothing under @types.
  'node_modules/left-pad/package.json': pkg({ name: 'left-pad', version: '1.3.0', main: 'index.js' }),
  'node_modules/left-pad/index.js': '',
  // Scoped package.
  'node_modules/@scope/lib/package.json': pkg({ name: '@scope/lib', version: '1.0.0', typings: 'lib/index' }),
  'node_modules/@scope/lib/lib/index.d.ts': "export * from './util'\n",
  'node_modules/@scope/lib/lib/util/index.d.ts': 'export declare const u: 1\n',
}

test('follows entries, relative imports, references and other packages; @types stand in for untyped packages', async () => {
  const { fs } = fakeFs(NODE_MODULES)
  const r = await discoverTypes(fs, { roots: ['zod', 'vite', 'react', 'left-pad', '@scope/lib', 'not-installed'] })
  const byName = new Map(r.packages.map((p) => [p.name, p]))
  expect([...byName.keys()].sort()).toEqual(
    ['@scope/lib', '@types/babel__core', '@types/node', '@types/react', 'csstype', 'left-pad', 'react', 'rollup', 'vite', 'zod'].sort(),
  )
  expect(r.typeRoots).toEqual(['babel__core', 'node', 'react'])
  expect(r.truncated).toBe(false)

  const paths = (name: string) => byName.get(name)!.files.map((f) => f.path).sort()
  expect(paths('zod')).toEqual(['node_modules/zod/index.d.ts', 'node_modules/zod/package.json', 'node_modules/zod/v4/core.d.ts'])
  expect(JSON.parse(byName.get('zod')!.files.find((f) => f.path.endsWith('package.json'))!.content)).toEqual({
    name: 'zod',
    version: '4.0.0',
    types: './index.d.ts',
    main: './index.js',
  })
  expect(byName.get('zod')!.imports).toEqual(['other-lib'])
  expect(paths('vite')).toEqual([
    'node_modules/vite/client.d.ts',
    'node_modules/vite/dist/node/index.d.ts',
    'node_modules/vite/package.json',
    'node_modules/vite/types/importMeta.d.ts',
  ])
  expect(byName.get('vite')!.imports).toEqual(['@types/node', 'rollup'])
  expect(paths('@types/react')).toEqual(['node_modules/@types/react/index.d.ts', 'node_modules/@types/react/jsx-runtime.d.ts', 'node_modules/@types/react/package.json'])
  expect(paths('@types/node')).toEqual(['node_modules/@types/node/fs.d.ts', 'node_modules/@types/node/index.d.ts', 'node_modules/@types/node/package.json'])
  expect(paths('@scope/lib')).toEqual(['node_modules/@scope/lib/lib/index.d.ts', 'node_modules/@scope/lib/lib/util/index.d.ts', 'node_modules/@scope/lib/package.json'])
  // react has @types/react, so it is not declared untyped; left-pad has nothing.
  expect(byName.get('react')!.untyped).toBe(false)
  expect(paths('react')).toEqual(['node_modules/react/package.json'])
  expect(byName.get('left-pad')!.untyped).toBe(true)
  expect(r.bytes).toBe(r.packages.reduce((n, p) => n + p.bytes, 0))
})

test('no node_modules: nothing, quietly', async () => {
  const { fs } = fakeFs({ 'src/a.ts': '' })
  expect(await discoverTypes(fs, { roots: ['react'] })).toEqual({ packages: [], typeRoots: [], bytes: 0, truncated: false })
})

test('the budget caps what is read and says so', async () => {
  const big = 'x'.repeat(1000)
  const { fs } = fakeFs({
    'node_modules/a/package.json': pkg({ version: '1', types: 'index.d.ts' }),
    'node_modules/a/index.d.ts': "import './b'\n" + big,
    'node_modules/a/b.d.ts': big,
    'node_modules/c/package.json': pkg({ version: '1', types: 'index.d.ts' }),
    'node_modules/c/index.d.ts': big,
  })
  const r = await discoverTypes(fs, { roots: ['a', 'c'], maxBytes: 1500 })
  expect(r.truncated).toBe(true)
  expect(r.bytes).toBeLessThanOrEqual(1500)
  expect(r.packages[0]!.files.map((f) => f.path)).toEqual(['node_modules/a/package.json', 'node_modules/a/index.d.ts'])
  // c's declarations did not fit: it is declared as an untyped module rather than missing.
  expect(r.packages.map((p) => [p.name, p.untyped])).toEqual([
    ['a', false],
    ['c', true],
  ])
})

test('a refresh with the previous result as cache reads only package.json of unchanged packages', async () => {
  const { fs, reads } = fakeFs(NODE_MODULES)
  const first = await discoverTypes(fs, { roots: ['zod', 'vite'] })
  reads.length = 0
  const second = await discoverTypes(fs, { roots: ['zod', 'vite'], cache: new Map(first.packages.map((p) => [p.name, p])) })
  expect(second.packages.map((p) => p.name)).toEqual(first.packages.map((p) => p.name))
  expect(reads.every((p) => p.endsWith('/package.json'))).toBe(true)
  // A changed version is read again.
  const stale = new Map(first.packages.map((p) => [p.name, p.name === 'zod' ? { ...p, version: '3.0.0' } : p]))
  reads.length = 0
  await discoverTypes(fs, { roots: ['zod'], cache: stale })
  expect(reads).toContain('node_modules/zod/index.d.ts')
})

test('specifiers and package names', () => {
  expect(packageOfSpecifier('react/jsx-runtime')).toBe('react')
  expect(packageOfSpecifier('@tanstack/react-query/build')).toBe('@tanstack/react-query')
  expect(packageOfSpecifier('node:fs')).toBe('node')
  expect(packageOfSpecifier('fs/promises')).toBe('node')
  expect(packageOfSpecifier('./x')).toBeUndefined()
  expect(packageOfSpecifier('https://esm.sh/x')).toBeUndefined()
  expect(typesPackageOf('react')).toBe('@types/react')
  expect(typesPackageOf('@babel/core')).toBe('@types/babel__core')
  expect(typesPackageOf('@types/x')).toBe('@types/x')
})

test('declarationImports finds imports, re-exports, dynamic imports, require and references', () => {
  const src = [
    '/// <reference types="node" />',
    '/// <reference path="./globals.d.ts" />',
    "import type { A } from './a.js'",
    'import {',
    '  B,',
    "} from 'pkg-b'",
    "export * from '../c'",
    "import './side-effect'",
    "type D = import('pkg-d').D",
    "import e = require('pkg-e')",
  ].join('\n')
  expect(declarationImports(src)).toEqual({
    relative: ['./a.js', '../c', './side-effect'],
    bare: ['pkg-b', 'pkg-d', 'pkg-e'],
    referencePaths: ['./globals.d.ts'],
    referenceTypes: ['node'],
  })
})

test('typeEntries, candidates and paths', () => {
  expect(typeEntries({ types: './a.d.ts', typings: 'a.d.ts', main: 'a.js' })).toEqual(['a.d.ts', 'index.d.ts'])
  expect(typeEntries({ exports: { '.': { require: { types: './r.d.cts' }, import: './i.mjs' }, './*': { types: './*.d.ts' } } })).toEqual(['r.d.cts', 'i.d.mts', 'index.d.ts'])
  expect(typeEntries({ exports: { '.': { 'types@<=5.0': { default: './ts5.0/index.d.ts' }, types: { default: './index.d.ts' } } } })).toEqual(['index.d.ts'])
  expect(typeEntries({ typesVersions: { '*': { '*': ['ts4/*'] } } })).toEqual(['ts4/index.d.ts', 'index.d.ts'])
  expect(candidatesFor('node_modules/a/b')).toEqual(['node_modules/a/b.d.ts', 'node_modules/a/b/index.d.ts', 'node_modules/a/b.d.mts', 'node_modules/a/b.d.cts'])
  expect(candidatesFor('node_modules/a/b.js')).toEqual(['node_modules/a/b.d.ts', 'node_modules/a/b.ts'])
  expect(candidatesFor('node_modules/a/b.mjs')[0]).toBe('node_modules/a/b.d.mts')
  expect(candidatesFor('node_modules/a/b.d.ts')).toEqual(['node_modules/a/b.d.ts'])
  expect(candidatesFor('node_modules/a/data.json')).toEqual([])
  expect(joinRelative('node_modules/a/lib', '../x/./y')).toBe('node_modules/a/x/y')
  expect(joinRelative('a', '../../x')).toBeUndefined()
})

describe('installChanged', () => {
  test.each([
    [['package.json'], true],
    [['package-lock.json'], true],
    [['src/main.ts', 'pnpm-lock.yaml'], true],
    [['src/main.ts'], false],
    [['packages/a/package.json'], false], // a workspace member's manifest is not the project's install
    [[], false],
  ])('%j → %s', (paths, expected) => expect(installChanged(paths)).toBe(expected))
})
