import { expect, test } from 'vitest'
import { ServerClaim } from './serverClaim.ts'

const url = (port: number) => `http://localhost:${port}`

test('a port the run’s output names is claimed, before or after it answers', () => {
  const before = new ServerClaim([])
  expect(before.mention(3000)).toEqual({ type: 'ignore' })
  expect(before.ready(3000, url(3000), true)).toEqual({ type: 'claim', port: 3000, url: url(3000) })

  const after = new ServerClaim([])
  expect(after.ready(5173, url(5173), true)).toEqual({ type: 'wait', port: 5173 })
  expect(after.mention(5173)).toEqual({ type: 'claim', port: 5173, url: url(5173) })
  expect(after.port).toBe(5173)
})

test('once claimed, a second server (a terminal’s) is ignored, and the claim survives a restart on the same port', () => {
  const claim = new ServerClaim([])
  claim.mention(3000)
  claim.ready(3000, url(3000), true)
  expect(claim.ready(4000, url(4000), true)).toEqual({ type: 'ignore' })
  expect(claim.mention(4000)).toEqual({ type: 'ignore' })
  expect(claim.closed(4000)).toBe(false)
  expect(claim.closed(3000)).toBe(true)
  expect(claim.ready(4001, url(4001), false)).toEqual({ type: 'ignore' })
  expect(claim.ready(3000, url(3000), true)).toEqual({ type: 'claim', port: 3000, url: url(3000) })
})

test('a server open before the script started is someone else’s, until it closes and comes back', () => {
  const claim = new ServerClaim([4000])
  expect(claim.ready(4000, url(4000), false)).toEqual({ type: 'ignore' })
  expect(claim.settle(4000)).toEqual({ type: 'claim', port: 4000, url: url(4000) })
})

test('taken stays taken without a settle; a mention overrides it', () => {
  const claim = new ServerClaim([4000])
  expect(claim.ready(4000, url(4000), false)).toEqual({ type: 'ignore' })
  expect(claim.mention(4000)).toEqual({ type: 'claim', port: 4000, url: url(4000) })
})

test('a silent server: claimed at once when nothing else runs, after the wait when a shell could have started it', () => {
  expect(new ServerClaim([]).ready(8080, url(8080), false)).toEqual({ type: 'claim', port: 8080, url: url(8080) })
  const claim = new ServerClaim([])
  expect(claim.ready(8080, url(8080), true)).toEqual({ type: 'wait', port: 8080 })
  expect(claim.settle(8080)).toEqual({ type: 'claim', port: 8080, url: url(8080) })
})

test('the wait ends in nothing when the named server came up meanwhile, or the candidate closed', () => {
  const named = new ServerClaim([])
  named.mention(3000)
  expect(named.ready(4000, url(4000), false)).toEqual({ type: 'wait', port: 4000 })
  expect(named.ready(3000, url(3000), false)).toEqual({ type: 'claim', port: 3000, url: url(3000) })
  expect(named.settle(4000)).toEqual({ type: 'ignore' })

  const gone = new ServerClaim([])
  gone.ready(4000, url(4000), true)
  gone.closed(4000)
  expect(gone.settle(4000)).toEqual({ type: 'ignore' })
})
