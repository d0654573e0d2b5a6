import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { runInThisContext } from 'node:vm'
import { afterEach, describe, expect, test } from 'vitest'
import { addClassicPreloads, preloadClassicInHtml, reassignedExports, splitChunk } from './classicChunks.ts'

// A chunk as the build writes one: minified-style imports, a namespace import, a side-effect import, `import.meta`,
// a class, an enum-like object filled at the top level, a function that reads an import when called, exports under
// other names (one not usable as a binding's name).
const CHUNK = `import{v as e,bump as t}from"./dep.mjs";import*as n from"./dep.mjs";import"./side.mjs";
var r;(function(e){e[e.A=0]="A",e[e.B=1]="B"})(r||(r={}));
class i{constructor(){this.v=e}get where(){return new URL("x.txt",import.meta.url).pathname}}
function a(){return t()+n.v}
const o=globalThis.__sideEffects.slice();
export{i as Thing,r as Kind,a as callDep,o as seenBefore,e as "default"};
`
const DEP = `export let v = 41; export function bump() { return ++count } let count = 0;\n`
const SIDE = `globalThis.__sideEffects.push('side')\n`

const made: string[] = []
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
  delete (globalThis as Record<string, unknown>).document
  delete (globalThis as Record<string, unknown>).__slipwayClassic
})

function folder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'classic-chunks-'))
  made.push(dir)
  writeFileSync(path.join(dir, 'dep.mjs'), DEP)
  writeFileSync(path.join(dir, 'side.mjs'), SIDE)
  return dir
}

/// A document whose <script> elements run their file as a classic script, like a browser's, or fail to load.
function fakeDocument(dir: string, scripts: string[], missing = false) {
  return {
    createElement: () => {
      const el = { src: '', onerror: undefined as undefined | (() => void) }
      return el
    },
    head: {
      appendChild(el: { src: string; onerror?: () => void }) {
        scripts.push(el.src)
        setTimeout(() => {
          if (missing) return el.onerror?.()
          runInThisContext(readFileSync(new URL(el.src), 'utf8'), { filename: el.src })
        }, 1)
      },
    },
  }
}

describe('splitChunk', () => {
  test('the stub and its classic script export what the module exported, run after its imports, keep import.meta', async () => {
    // Each in a folder of its own, so each has its own dependencies (a module runs once per URL).
    const originalDir = folder()
    ;(globalThis as Record<string, unknown>).__sideEffects = []
    writeFileSync(path.join(originalDir, 'original.mjs'), CHUNK)
    const original = await import(pathToFileURL(path.join(originalDir, 'original.mjs')).href)

    const dir = folder()

    ;(globalThis as Record<string, unknown>).__sideEffects = []
    const split = splitChunk(CHUNK, 'chunk-AbC.mjs', './chunk-AbC.classic.js')
    writeFileSync(path.join(dir, 'chunk-AbC.mjs'), split.stub)
    writeFileSync(path.join(dir, 'chunk-AbC.classic.js'), split.classic)
    const scripts: string[] = []
    ;(globalThis as Record<string, unknown>).document = fakeDocument(dir, scripts)
    const classic = await import(pathToFileURL(path.join(dir, 'chunk-AbC.mjs')).href)

    expect(scripts).toEqual([pathToFileURL(path.join(dir, 'chunk-AbC.classic.js')).href])
    expect(Object.keys(classic).sort()).toEqual(Object.keys(original).sort())
    expect(classic.Kind).toEqual({ 0: 'A', 1: 'B', A: 0, B: 1 })
    expect(classic.default).toBe(41)
    // The side-effect import ran before the chunk's code, as it does for the module.
    expect(classic.seenBefore).toEqual(['side'])
    expect(original.seenBefore).toEqual(['side'])
    // import.meta is the stub's: the chunk's file name, as if the chunk had stayed a module.
    expect(new classic.Thing().where).toBe(path.join(dir, 'x.txt'))
    expect(new original.Thing().where).toBe(path.join(originalDir, 'x.txt'))
    expect(new classic.Thing().v).toBe(41)
    // Imports are the dependency's own functions: state is shared with every other importer.
    const dep = await import(pathToFileURL(path.join(dir, 'dep.mjs')).href)
    expect(classic.callDep()).toBe(42)
    expect(dep.bump()).toBe(2)
    expect(classic.callDep()).toBe(44)
    expect(original.callDep()).toBe(42)
    // Nothing is left in the registry.
    expect((globalThis as Record<string, unknown>).__slipwayClassic).toEqual({})
  })

  test('a classic script that fails to load fails the import, as a module would', async () => {
    const dir = folder()
    ;(globalThis as Record<string, unknown>).__sideEffects = []
    const split = splitChunk(CHUNK, 'gone-AbC.mjs', './gone-AbC.classic.js')
    writeFileSync(path.join(dir, 'gone-AbC.mjs'), split.stub)
    ;(globalThis as Record<string, unknown>).document = fakeDocument(dir, [], true)
    await expect(import(pathToFileURL(path.join(dir, 'gone-AbC.mjs')).href)).rejects.toThrow(/Failed to fetch dynamically imported module: .*gone-AbC\.classic\.js/)
  })

  test('a chunk whose code throws rejects the import with that error', async () => {
    const dir = folder()
    const split = splitChunk('const a = 1; if (a) throw new RangeError("broken chunk"); export { a as x };', 'bad-1.mjs', './bad-1.classic.js')
    writeFileSync(path.join(dir, 'bad-1.mjs'), split.stub)
    writeFileSync(path.join(dir, 'bad-1.classic.js'), split.classic)
    ;(globalThis as Record<string, unknown>).document = fakeDocument(dir, [])
    await expect(import(pathToFileURL(path.join(dir, 'bad-1.mjs')).href)).rejects.toThrow(RangeError)
  })

  test('refuses what a copy of the exports cannot carry over', () => {
    expect(() => splitChunk('export * from "./a.js"', 'x.js', './x.classic.js')).toThrow(/ExportAllDeclaration/)
    expect(() => splitChunk('export { a } from "./a.js"', 'x.js', './x.classic.js')).toThrow(/export form/)
    expect(() => splitChunk('export const a = 1', 'x.js', './x.classic.js')).toThrow(/export form/)
    expect(() => splitChunk('const a = await 1; export { a }', 'x.js', './x.classic.js')).toThrow(/top-level await/)
    expect(() => splitChunk('const __slipwayDeps = 1; export { __slipwayDeps as a }', 'x.js', './x.classic.js')).toThrow(/already uses/)
  })
})

describe('reassignedExports', () => {
  test('names an export assigned inside a function, i.e. after the chunk has run', () => {
    expect([...reassignedExports('let a = 1; function set(v) { a = v } export { a as x, set }').keys()]).toEqual(['x'])
    expect([...reassignedExports('let a = 1; const f = () => { a++ }; export { a as y, f }').keys()]).toEqual(['y'])
    expect([...reassignedExports('var a; class C { static { a = 1 } } export { a as z, C }').keys()]).toEqual(['z'])
    expect([...reassignedExports('let a = 0; function f(o) { for (a of o); } export { a, f }').keys()]).toEqual(['a'])
  })

  test('does not count assignments at the top level or to a variable of the function itself', () => {
    expect(reassignedExports('var r; (function (e) { e.A = 0 })(r || (r = {})); export { r }').size).toBe(0)
    expect(reassignedExports('let a = 1; a = 2; export { a }').size).toBe(0)
    expect(reassignedExports('let a; (function () { a = () => 1 })(); (() => { a ??= 2 })(); export { a }').size).toBe(0)
    // A function called where it is written inside one called later is later.
    expect(reassignedExports('let a; function f() { (function () { a = 1 })() } export { a, f }').size).toBe(1)
    // Changing an exported object is not rebinding it.
    expect(reassignedExports('const a = {}; function f() { a.x = 1; a[0]++; for (a.y of []); } export { a, f }').size).toBe(0)
    expect(reassignedExports('let a = 1; function f(o) { ({ a } = o) } export { a, f }').size).toBe(1)
    expect(reassignedExports('let a = 1; function f(o) { [, ...a] = o } export { a, f }').size).toBe(1)
    expect(reassignedExports('let a = 1; function f(a) { a = 2 } function g() { let a; a = 3 } function h() { try {} catch (a) { a = 1 } } export { a, f, g, h }').size).toBe(0)
  })
})

describe('addClassicPreloads', () => {
  test('a dynamic import asks for the classic scripts its target needs at once, each once; other imports are left alone', async () => {
    const dir = folder()
    writeFileSync(path.join(dir, 'a.mjs'), 'export const a = 1\n')
    writeFileSync(path.join(dir, 'b.mjs'), 'export const b = 2\n')
    const code = 'export const loadA = () => import("./a.mjs"); export const loadB = () => import("./b.mjs").then((m) => m.b);\n'
    const rewritten = await addClassicPreloads(code, (specifier) => (specifier === './a.mjs' ? ['./a.classic.js', './dep.classic.js'] : []))
    writeFileSync(path.join(dir, 'importer.mjs'), rewritten)
    const links: Array<{ rel: string; as: string; href: string }> = []
    ;(globalThis as Record<string, unknown>).document = {
      querySelector: (selector: string) => links.find((l) => selector.includes(`[href="${l.href}"]`)) ?? null,
      createElement: () => ({ rel: '', as: '', href: '' }),
      head: { appendChild: (l: { rel: string; as: string; href: string }) => links.push(l) },
    }
    const importer = await import(pathToFileURL(path.join(dir, 'importer.mjs')).href)
    expect(links).toEqual([])
    expect((await importer.loadA()).a).toBe(1)
    const expected = ['a.classic.js', 'dep.classic.js'].map((f) => ({ rel: 'preload', as: 'script', href: pathToFileURL(path.join(dir, f)).href }))
    expect(links).toEqual(expected)
    await importer.loadA()
    expect(await importer.loadB()).toBe(2)
    expect(links).toEqual(expected)
  })

  test('code with no such import is returned as it was', async () => {
    const code = 'export const f = () => import("./x.js")\n'
    expect(await addClassicPreloads(code, () => [])).toBe(code)
  })
})

describe('preloadClassicInHtml', () => {
  const HTML = `<head>
    <script type="module" crossorigin src="/assets/index-A1.js"></script>
    <link rel="modulepreload" crossorigin href="/assets/react-B2.js">
    <link rel="modulepreload" crossorigin href="/assets/other-C3.js">
    <link rel="stylesheet" crossorigin href="/assets/index-D4.css">
  </head>`

  test("a chosen chunk the page preloads gets its classic file preloaded beside it, without crossorigin (as the stub's script asks)", () => {
    const out = preloadClassicInHtml(HTML, new Set(['assets/react-B2.js']))
    expect(out).toContain('<link rel="modulepreload" crossorigin href="/assets/react-B2.js">\n    <link rel="preload" as="script" href="/assets/react-B2.classic.js">')
    expect(out.match(/rel="preload"/g)).toHaveLength(1)
    expect(out).not.toContain('other-C3.classic.js')
  })

  test('a page that preloads none of the chosen chunks is left as it was', () => {
    expect(preloadClassicInHtml(HTML, new Set(['assets/editor.api-E5.js']))).toBe(HTML)
  })
})
