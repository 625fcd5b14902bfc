import {describe, expect, it} from 'vitest'
import {planDigest} from '../../src/diff/build-plan.js'
import {parsePlanJson} from '../../src/plan/parse-plan-json.js'
import {renderJson} from '../../src/render/json.js'
import {mixedPlan} from '../render/fixtures.js'

const errorOf = (result: ReturnType<typeof parsePlanJson>): string => {
  if (!('error' in result)) throw new Error('expected the plan file to be refused')
  return result.error
}

const mutated = (edit: (doc: Record<string, any>) => void): string => {
  const doc = JSON.parse(renderJson(mixedPlan()))
  edit(doc)
  return JSON.stringify(doc)
}

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
