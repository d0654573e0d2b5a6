import type { ReactNode } from 'react'

/// `text` from `from` to `to`, with the characters at `marks` in <mark> runs.
export function marked(text: string, marks: ReadonlySet<number>, from: number, to: number): ReactNode[] {
  const out: ReactNode[] = []
  let run = ''
  let runMarked = false
  const flush = (key: number) => {
    if (run) out.push(runMarked ? <mark key={key}>{run}</mark> : run)
    run = ''
  }
  for (let i = from; i < to; i++) {
    const m = marks.has(i)
    if (m !== runMarked) {
      flush(i)
      runMarked = m
    }
    run += text[i]
  }
  flush(to)
  return out
}
