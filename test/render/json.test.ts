import {describe, expect, it} from 'vitest'
import {planDigest} from '../../src/diff/build-plan.js'
import {parsePlanJson, renderJson} from '../../src/render/json.js'
import {mixedPlan, noChangesPlan} from './fixtures.js'

const errorOf = (result: ReturnType<typeof parsePlanJson>): string => {
  if (!('error' in result)) throw new Error('expected the plan file to be refused')
  return result.error
}

const mutated = (edit: (doc: Record<string, any>) => void): string => {
  const doc = JSON.parse(renderJson(mixedPlan()))
  edit(doc)
  return JSON.stringify(doc)
}

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

describe('parsePlanJson', () => {
  it('reads back what renderJson wrote', () => {
    expect(parsePlanJson(renderJson(mixedPlan()))).toEqual({plan: mixedPlan()})
  })

  it('reads the previous body from before.body, outside the observed state the plan digest covers', () => {
    const plan = mixedPlan()
    const read = parsePlanJson(renderJson(plan))
    if (!('plan' in read)) throw new Error(read.error)
    const restart = read.plan.changes.find((c) => c.field_diff)!
    expect(Object.keys(restart.before)).toEqual([
      'status',
      'newest_recording_id',
      'active_recording_id',
      'active_digest',
      'active_profile',
    ])
    expect(restart.previous_body).toMatchObject({video_mixed_layout: 'gallery_view_v2'})
    expect(planDigest(read.plan.changes)).toBe(planDigest(plan.changes))
  })

  it('gives a plan written before field diffs existed its field diff', () => {
    const text = mutated((doc) => {
      for (const c of doc.changes) {
        delete c.field_diff
        if (c.before.body) delete c.before.body
      }
    })
    const read = parsePlanJson(text)
    if (!('plan' in read)) throw new Error(read.error)
    expect(read.plan.changes.find((c) => c.previous_body)?.field_diff).toEqual(
      mixedPlan().changes.find((c) => c.field_diff)?.field_diff,
    )
  })

  it('accepts fields a later recallctl may add', () => {
    const text = mutated((doc) => {
      doc.apply_hint = 'x'
      doc.changes[0].estimated_cost = 3
      doc.workspace.region = 'us-east-1'
    })
    const result = parsePlanJson(text)
    expect('plan' in result && result.plan.changes.length).toBe(12)
  })

  it('refuses a newer format_version, saying which one this recallctl reads', () => {
    const error = errorOf(parsePlanJson(mutated((doc) => (doc.format_version = 2))))
    expect(error).toContain('format_version 2')
    expect(error).toContain('this recallctl reads format_version 1')
    expect(error).toContain('Upgrade recallctl')
  })

  it('refuses a missing or malformed format_version', () => {
    expect(errorOf(parsePlanJson(mutated((doc) => delete doc.format_version)))).toContain('has no format_version')
    expect(errorOf(parsePlanJson(mutated((doc) => (doc.format_version = '1'))))).toContain('format_version "1"')
    expect(errorOf(parsePlanJson(mutated((doc) => (doc.format_version = 0))))).toContain('format_version 0')
  })

  it('names every missing or wrong field with its path', () => {
    const error = errorOf(
      parsePlanJson(
        mutated((doc) => {
          delete doc.changes[1].after
          doc.changes[4].action = 'destroy'
          delete doc.summary.noop
        }),
      ),
    )
    expect(error).toContain('changes[1].after')
    expect(error).toContain('changes[4].action')
    expect(error).toContain('summary.noop')
  })

  it('refuses text that is not JSON, or JSON that is not an object', () => {
    expect(errorOf(parsePlanJson('format_version: 1'))).toContain('not JSON')
    expect(errorOf(parsePlanJson('[1]'))).toContain('holds an array')
    expect(errorOf(parsePlanJson('null'))).toContain('holds null')
  })
})
