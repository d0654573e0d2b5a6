import { expect, test } from 'vitest'
import type { PreviewsState } from '../../core/preview/Previews.ts'
import { displayOrigin, previewView } from './previewView.ts'

const base: PreviewsState = { ports: [], selected: undefined, path: '/', reloads: 0, console: [] }
const withPort = (ready: boolean, extra: Partial<PreviewsState> = {}): PreviewsState => ({
  ...base,
  ports: [{ port: 3000, url: 'http://127.0.0.1:41000/', ready }],
  selected: 3000,
  ...extra,
})

test('a ready selected port shows the frame at the path, keyed by port and reloads', () => {
  expect(previewView(withPort(true, { path: '/about?x=1', reloads: 3 }), { status: 'running', step: 'starting', detail: '' })).toEqual({
    kind: 'frame',
    url: 'http://127.0.0.1:41000/about?x=1',
    port: 3000,
    origin: 'http://127.0.0.1:41000',
    frameKey: '3000:3',
  })
})

test('a port that does not answer yet is waited for', () => {
  expect(previewView(withPort(false))).toEqual({ kind: 'waiting', port: 3000 })
  expect(previewView(withPort(false), { status: 'ready', port: 3000, url: 'u' })).toEqual({ kind: 'waiting', port: 3000 })
})

test('without a server the run state decides', () => {
  expect(previewView(base)).toEqual({ kind: 'idle' })
  expect(previewView(base, { status: 'idle' })).toEqual({ kind: 'idle' })
  expect(previewView(base, { status: 'running', step: 'installing', detail: 'added 3 packages' })).toEqual({ kind: 'starting', step: 'installing', detail: 'added 3 packages' })
  expect(previewView(base, { status: 'running', step: 'installing', detail: '⠙' })).toEqual({ kind: 'starting', step: 'installing' })
  expect(previewView(base, { status: 'failed', step: 'starting', error: 'boom', line: 'Error: boom', hint: 'fix it' })).toEqual({
    kind: 'failed',
    step: 'starting',
    failure: { error: 'boom', line: 'Error: boom', hint: 'fix it', retry: true, terminal: true },
  })
  expect(previewView(base, { status: 'exited', code: 0, output: 'Hello', watching: true })).toEqual({ kind: 'finished', code: 0, output: 'Hello', watching: true })
  // The server went away after the run saw it (stopped, or it crashed and the port closed).
  expect(previewView(base, { status: 'ready', port: 3000, url: 'u' })).toEqual({ kind: 'idle' })
})

test('a runtime that did not boot is shown once here, also before any run', () => {
  const failed = { phase: 'failed', kind: 'webcontainer', failure: { reason: 'network', message: 'WebContainer did not start within 45 seconds.' } } as const
  expect(previewView(base, { status: 'idle' }, failed)).toEqual({
    kind: 'failed',
    step: 'booting',
    failure: { error: 'WebContainer did not start within 45 seconds.', hint: '', retry: false, terminal: false },
  })
})

test('displayOrigin drops the scheme', () => {
  expect(displayOrigin('http://127.0.0.1:41000')).toBe('127.0.0.1:41000')
  expect(displayOrigin('https://abc--3000--x.local-credentialless.webcontainer-api.io')).toBe('abc--3000--x.local-credentialless.webcontainer-api.io')
})
