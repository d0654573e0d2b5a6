import { describe, expect, it } from 'vitest'
import { contentDisposition, rawFileHeaders } from './rawFile.ts'

const utf8 = (s: string) => new TextEncoder().encode(s)
const PDF = utf8('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n')
const BINARY = new Uint8Array([0, 159, 146, 150, 255])

describe('rawFileHeaders', () => {
  it.each([
    // TypeScript is text, never the registry's video/mp2t for .ts
    ['src/main.ts', utf8('export const a: number = 1\n'), 'text/plain; charset=utf-8', 'inline'],
    ['src/App.tsx', utf8('export default () => <div/>\n'), 'text/plain; charset=utf-8', 'inline'],
    ['vite.config.mts', utf8('export default {}\n'), 'text/plain; charset=utf-8', 'inline'],
    ['server.cts', utf8('module.exports = {}\n'), 'text/plain; charset=utf-8', 'inline'],
    ['types/index.d.ts', utf8('export {}\n'), 'text/plain; charset=utf-8', 'inline'],
    ['SHOUT.TS', utf8('export {}\n'), 'text/plain; charset=utf-8', 'inline'],
    // documents and scripts are plain text on our origin
    ['index.html', utf8('<script>alert(1)</script>'), 'text/plain; charset=utf-8', 'inline'],
    ['main.js', utf8('alert(1)'), 'text/plain; charset=utf-8', 'inline'],
    ['feed.xml', utf8('<x/>'), 'text/plain; charset=utf-8', 'inline'],
    ['icon.svg', utf8('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'text/plain; charset=utf-8', 'inline'],
    ['notes.txt', utf8('hi'), 'text/plain; charset=utf-8', 'inline'],
    ['README.md', utf8('# hi'), 'text/plain; charset=utf-8', 'inline'],
    ['Makefile', utf8('all:\n'), 'text/plain; charset=utf-8', 'inline'],
    // images (not SVG) show inline
    ['logo.png', BINARY, 'image/png', 'inline'],
    ['photo.JPG', BINARY, 'image/jpeg', 'inline'],
    ['anim.gif', BINARY, 'image/gif', 'inline'],
    ['pic.webp', BINARY, 'image/webp', 'inline'],
    ['favicon.ico', BINARY, 'image/x-icon', 'inline'],
    // everything else downloads
    ['docs/spec.pdf', PDF, 'application/pdf', 'attachment'],
    ['package.json', utf8('{}'), 'application/json', 'attachment'],
    ['style.css', utf8('a{}'), 'text/css; charset=utf-8', 'attachment'],
    ['data.csv', utf8('a,b'), 'text/csv; charset=utf-8', 'attachment'],
    ['clip.mp4', BINARY, 'video/mp4', 'attachment'],
    ['font.woff2', BINARY, 'font/woff2', 'attachment'],
    ['module.wasm', BINARY, 'application/wasm', 'attachment'],
    ['site.zip', BINARY, 'application/zip', 'attachment'],
    ['blob.bin', BINARY, 'application/octet-stream', 'attachment'],
  ])('%s → %s, %s', (path, content, type, disposition) => {
    const headers = rawFileHeaders(path, content)
    expect(headers['Content-Type']).toBe(type)
    expect(headers['Content-Disposition']).toBe(`${disposition}; filename="${path.slice(path.lastIndexOf('/') + 1)}"`)
  })
})

describe('contentDisposition', () => {
  it.each([
    ['plain.pdf', 'attachment; filename="plain.pdf"'],
    ['with space.pdf', 'attachment; filename="with space.pdf"'],
    ['quote"back\\slash%.pdf', `attachment; filename="quote_back_slash_.pdf"; filename*=UTF-8''quote%22back%5Cslash%25.pdf`],
    ['résumé (1).pdf', `attachment; filename="r_sum_ (1).pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%281%29.pdf`],
    ["it's*.pdf", `attachment; filename="it's*.pdf"`],
  ])('%j', (name, header) => {
    expect(contentDisposition('attachment', name)).toBe(header)
  })
})
