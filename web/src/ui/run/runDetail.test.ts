import { expect, test } from 'vitest'
import { runDetail } from './runDetail.ts'

test.each([
  ['⠹', undefined],
  ['  ', undefined],
  [undefined, undefined],
  ['Installing dependencies…', undefined],
  ['Starting the runtime…', undefined],
  ['npm run dev', 'npm run dev'],
  ['added 42 packages in 3s', 'added 42 packages in 3s'],
  ['  idealTree: timing  ', 'idealTree: timing'],
])('runDetail(%j) = %j', (detail, shown) => {
  expect(runDetail(detail)).toBe(shown)
})
