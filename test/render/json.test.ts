import {describe, expect, it} from 'vitest'
import {renderJson} from '../../src/render/json.js'
import {mixedPlan, noChangesPlan} from './fixtures.js'

describe('renderJson', () => {
  it('matches the golden file', async () => {
    await expect(renderJson(mixedPlan())).toMatchFileSnapshot('./golden/plan-mixed.json')
  })

  it('is 2-space JSON with a trailing newline', () => {
    const text = renderJson(noChangesPlan())
    expect(text.endsWith('}\n')).toBe(true)
    expect(text.split('\n')[1]).toBe('  "format_version": 1,')
  })

  it('keeps the documented key order whatever order the value was built in', () => {
    const plan = mixedPlan()
    const shuffled = Object.fromEntries(Object.entries(plan).reverse()) as typeof plan
    shuffled.changes = plan.changes.map((c) => Object.fromEntries(Object.entries(c).reverse()) as typeof c)
    const doc = JSON.parse(renderJson(shuffled))
    expect(Object.keys(doc)).toEqual([
      'format_version',
      'tool_version',
      'created_at',
      'plan_digest',
      'workspace',
      'summary',
      'changes',
      'drift',
      'diagnostics',
    ])
    expect(Object.keys(doc.summary)).toEqual([
      'start',
      'restart',
      'noop',
      'pending',
      'completed',
      'blocked',
      'missing',
      'unknown',
    ])
    expect(Object.keys(doc.changes[3])).toEqual([
      'bot_id',
      'profile',
      'assignment',
      'action',
      'reason',
      'adopted',
      'before',
      'after',
      'fields_changed',
      'field_diff',
      'previous_body',
    ])
    expect(Object.keys(doc.changes[0].before)).toEqual([
      'status',
      'newest_recording_id',
      'active_recording_id',
      'active_digest',
      'active_profile',
    ])
    expect(Object.keys(doc.changes[3].before)).toEqual([
      'status',
      'newest_recording_id',
      'active_recording_id',
      'active_digest',
      'active_profile',
      'body',
    ])
  })

  it('is the same text for the same plan', () => {
    expect(renderJson(mixedPlan())).toBe(renderJson(mixedPlan()))
  })
})
