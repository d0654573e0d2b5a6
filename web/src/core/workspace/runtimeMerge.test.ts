import { describe, expect, test } from 'vitest'
import { mergeRuntimeChange } from './runtimeMerge.ts'
import { applySplice } from './textDiff.ts'

/// The doc's text after the merge, or 'conflict' (the doc keeps its text).
function merged(base: string | undefined, disk: string, doc: string): string {
  const merge = mergeRuntimeChange(base, disk, doc)
  if (merge.kind === 'conflict') return 'conflict'
  return merge.kind === 'none' ? doc : applySplice(doc, merge.splice)
}

describe('mergeRuntimeChange', () => {
  test.each([
    // [what, base, disk (the program's result), doc (with the person's unwritten edit), doc after the merge]
    ['our own write read back', 'a = 1\n', 'a = 1\n', 'a = 1\n// typing\n', 'a = 1\n// typing\n'],
    ['program change, no doc change', 'a = 1\n', 'a = 1;\n', 'a = 1\n', 'a = 1;\n'],
    ['program before the doc change: both kept', 'let a=1\nlet b=2\n', 'let a = 1\nlet b=2\n', 'let a=1\nlet b=2\nb++\n', 'let a = 1\nlet b=2\nb++\n'],
    ['program after the doc change: both kept', 'x\nconst s="q"\n', 'x\nconst s = \'q\'\n', '// hi\nx\nconst s="q"\n', '// hi\nx\nconst s = \'q\'\n'],
    ['program after a deletion in the doc: both kept', 'one\ntwo\nthree\n', 'one\ntwo\nTHREE\n', 'two\nthree\n', 'two\nTHREE\n'],
    ['one untouched character between them is enough', 'abc', 'Xbc', 'abY', 'XbY'],
    ['identical change in both: applied once', 'f()\n', 'f();\n', 'f();\n', 'f();\n'],
    ['identical appended line in both: applied once', 'a\n', "a\nconsole.log('repro-2')\n", "a\nconsole.log('repro-2')\n", "a\nconsole.log('repro-2')\n"],
    ['overlapping: the doc is kept', 'const a = 12\n', 'const a = 3\n', 'const a = 10\n', 'conflict'],
    ['touching: the doc is kept (1 → 2 next to a typed 0 is not 20)', 'const a = 1\n', 'const a = 2\n', 'const a = 10\n', 'conflict'],
    ['touching, the other way round', 'ab', 'aYb', 'Xb', 'conflict'],
    ['formatter rewrote the line being typed in: the doc is kept', 'if(x){y()}\n', 'if (x) {\n  y()\n}\n', 'if(x){y();}\n', 'conflict'],
    ['both insert at one point: the doc is kept', 'base', 'base (tool)', 'base + typed', 'conflict'],
    ['program deleted what the doc edits: the doc is kept', 'a\nb\nc\n', 'a\nc\n', 'a\nbb\nc\n', 'conflict'],
    ['program emptied the file the doc edits: the doc is kept', 'abc', '', 'abcd', 'conflict'],
    // A deletion's smallest splice may start anywhere in a run of repeated text: 'two\nt' → 'wo\nth' here reaches the
    // program's change. Safe side: a conflict, never a wrong merge.
    ['a deletion whose splice reaches the program change: the doc is kept', 'one\ntwo\nthree\n', 'one\ntwo\nTHREE\n', 'one\nthree\n', 'conflict'],
    ['no base (made on both sides), the same text: nothing to do', undefined, 'new\n', 'new\n', 'new\n'],
    ['no base (made on both sides), different texts: the doc is kept', undefined, 'theirs\n', 'mine\n', 'conflict'],
    ['astral characters stay whole', 'x😀y😀z', 'x😁y😀z', 'x😀y😀z!', 'x😁y😀z!'],
  ] as [string, string | undefined, string, string, string][])('%s', (_what, base, disk, doc, expected) => {
    expect(merged(base, disk, doc)).toBe(expected)
  })

  test('disjoint edits on both sides, anywhere in a file: the result holds both', () => {
    const base = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n')
    let seed = 7
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n)
    for (let round = 0; round < 500; round++) {
      // Two ranges of base with something between them; one edited by the program, the other by the doc.
      const cuts = [random(base.length + 1), random(base.length + 1), random(base.length + 1), random(base.length + 1)].sort((a, b) => a - b)
      const [s1, e1, s2, e2] = cuts as [number, number, number, number]
      if (e1 === s2) continue // touching changes are a conflict by design
      const edit = (text: string, from: number, to: number, insert: string) => text.slice(0, from) + insert + text.slice(to)
      const both = edit(edit(base, s2, e2, '<B>'), s1, e1, '<A>')
      const programFirst = random(2) === 0
      const disk = programFirst ? edit(base, s1, e1, '<A>') : edit(base, s2, e2, '<B>')
      const doc = programFirst ? edit(base, s2, e2, '<B>') : edit(base, s1, e1, '<A>')
      expect(merged(base, disk, doc), JSON.stringify({ cuts, programFirst })).toBe(both)
    }
  })
})
