import {describe, expect, it} from 'vitest'
import {mapWithLimit} from '../../src/load/map-limit.js'

describe('mapWithLimit', () => {
  it('keeps at most `limit` calls in flight and returns results in order', async () => {
    let inFlight = 0
    let most = 0
    const items = Array.from({length: 200}, (_, i) => i)
    const results = await mapWithLimit(items, 16, async (item) => {
      most = Math.max(most, ++inFlight)
      await new Promise((resolve) => setTimeout(resolve, item % 3))
      inFlight--
      return item * 2
    })
    expect(most).toBe(16)
    expect(results).toEqual(items.map((i) => i * 2))
  })

  it('handles fewer items than the limit, and none', async () => {
    expect(await mapWithLimit([1, 2], 16, async (x) => x + 1)).toEqual([2, 3])
    expect(await mapWithLimit([], 16, async (x) => x)).toEqual([])
  })
})
