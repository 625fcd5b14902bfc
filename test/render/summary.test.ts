import {describe, expect, it} from 'vitest'
import {ACTIONS, type Summary} from '../../src/plan/types.js'
import {summaryLines} from '../../src/render/summary.js'

const summary = (counts: Partial<Summary>): Summary => ({
  ...(Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Summary),
  ...counts,
})

describe('the summary sentence', () => {
  it('reads like Terraform when there are changes', () => {
    expect(summaryLines(summary({start: 12, restart: 2, noop: 40, pending: 3, completed: 1}))).toEqual([
      'Plan: 12 to start, 2 to restart, 40 unchanged, 3 pending, 1 completed.',
    ])
  })

  it('adds blocked, missing and unknown only when there are some', () => {
    expect(summaryLines(summary({start: 1, blocked: 2, unknown: 1}))).toEqual([
      'Plan: 1 to start, 0 to restart, 0 unchanged, 0 pending, 0 completed, 2 blocked, 1 unknown.',
    ])
  })

  it('says "No changes." when nothing is to start or restart', () => {
    expect(summaryLines(summary({noop: 40, pending: 3, completed: 1}))).toEqual([
      'No changes. Your recordings match the configuration.',
      '40 unchanged, 3 pending, 1 completed.',
    ])
  })

  it('does not claim the recordings match when some bot is blocked, missing or unknown', () => {
    const [headline, counts] = summaryLines(summary({noop: 4, missing: 1}))
    expect(headline).not.toContain('match the configuration')
    expect(counts).toBe('4 unchanged, 0 pending, 0 completed, 1 missing.')
  })
})
