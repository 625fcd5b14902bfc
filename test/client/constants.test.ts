import {describe, expect, it} from 'vitest'
import {DEFAULT_RATE_LIMITS, REGIONS} from '../../src/config/project-config-schema.js'
import {RECALL_REGIONS} from '../../src/recall/base-url.js'
import {RECALL_DOCUMENTED_LIMITS} from '../../src/recall/client/endpoints.js'

// The client keeps its own copies so it does not load zod and the config schema; these must not drift.
describe('client constants match the config schema', () => {
  it('regions', () => {
    expect([...RECALL_REGIONS]).toEqual([...REGIONS])
  })

  it('documented rate limits', () => {
    expect(RECALL_DOCUMENTED_LIMITS).toEqual(DEFAULT_RATE_LIMITS)
  })
})
