import {describe, expect, it} from 'vitest'
import {renderHuman} from '../../src/render/human.js'
import {change, mixedPlan, noChangesPlan, planOf} from './fixtures.js'
import {expectGolden} from './golden.js'

const ESC = '\u001b'

describe('human plan: golden files', () => {
  it('renders a plan with every action, drift and diagnostics', () => {
    expectGolden('human-mixed.txt', renderHuman(mixedPlan(), {color: false}))
  })

  it('renders the same plan in colour', () => {
    expectGolden('human-mixed-color.txt', renderHuman(mixedPlan(), {color: true}))
  })

  it('renders a plan without changes', () => {
    expectGolden('human-no-changes.txt', renderHuman(noChangesPlan(), {color: false}))
  })
})

describe('human plan: restarts', () => {
  const text = renderHuman(mixedPlan(), {color: false})

  it('marks each restart with -/+ and says it restarts the running recording', () => {
    expect(text).toContain('  -/+ bot 22222222-aaaa-4bbb-8ccc-dddddddddddd (profile sales-call)  # restarts the running recording')
    expect(text).toContain('  -/+ bot 33333333-aaaa-4bbb-8ccc-dddddddddddd (profile sales-call)  # restarts the running recording')
  })

  it('shows a field-level diff against the previous body when it is known', () => {
    expect(text).toContain('      ~ video_mixed_layout = "gallery_view_v2" -> "speaker_view"')
    expect(text).toContain('      ~ retention = {"type":"forever"} -> {"hours":720,"type":"timed"}')
    expect(text).toMatch(/^ {8}- {7}"language_code": "de",$/m)
    expect(text).toMatch(/^ {8}\+ {7}"language_code": "en",$/m)
    expect(text).toContain('# (7 unchanged fields hidden)')
  })

  it('says the old configuration is unknown and lists the desired body when previous_body is null', () => {
    const block = text.slice(text.indexOf('-/+ bot 33333333'), text.indexOf('Body v1:'))
    expect(block).toContain("the running recording's configuration is unknown")
    expect(block).toContain('"video_mixed_layout": "speaker_view"')
  })

  it('falls back to a multi-line diff when a one-line change does not fit the width', () => {
    const narrow = renderHuman(mixedPlan(), {color: false, width: 40})
    expect(narrow).toContain('      ~ video_mixed_layout:')
    expect(narrow).toContain('        - "gallery_view_v2"')
    expect(narrow).toContain('        + "speaker_view"')
  })

  it('names a changed field the redacted bodies cannot show', () => {
    const c = change('b1', 'restart', {fields_changed: ['metadata'], previous_body: change('x', 'start').after.body})
    expect(renderHuman(planOf([c]), {color: false})).toContain('~ metadata # differs in redacted values')
  })
})

describe('human plan: sections', () => {
  it('puts drift in its own section with ~', () => {
    expect(renderHuman(mixedPlan(), {color: false})).toContain(
      'Drift: recordings not started by recallctl (1):\n  ~ bot 33333333-aaaa-4bbb-8ccc-dddddddddddd recording rec-333: recording started outside recallctl',
    )
  })

  it('prints diagnostics as file:line:col: severity: message, errors first', () => {
    const text = renderHuman(mixedPlan(), {color: false})
    const error = text.indexOf('recordings/sales.yaml:14:7: error: Bot 0000dead')
    const warning = text.indexOf('recordings/base.yaml:2:3: warning: Profile "base"')
    expect(error).toBeGreaterThan(0)
    expect(warning).toBeGreaterThan(error)
    expect(text).toContain('    recordings/sales.yaml:12:5: note: assigned here to profile sales-call')
  })

  it('collapses many unchanged bots to a count', () => {
    const changes = Array.from({length: 12}, (_, i) => change(`bot-${i}`, 'noop', {adopted: i < 3, reason: 'in sync'}))
    const text = renderHuman(planOf(changes), {color: false})
    expect(text).toContain('Unchanged: 12 bots, 3 adopted.')
    expect(text).not.toContain('bot-0')
  })

  it('lists a few unchanged bots, marking adopted ones', () => {
    const text = renderHuman(mixedPlan(), {color: false})
    expect(text).toContain('the recording the bot started at join time matches the profile (adopted)')
  })

  it('ends with the summary line', () => {
    expect(renderHuman(mixedPlan(), {color: false}).trimEnd().split('\n').at(-1)).toBe(
      'Plan: 3 to start, 2 to restart, 2 unchanged, 1 pending, 1 completed, 1 blocked, 1 missing, 1 unknown.',
    )
  })

  it('shows redacted values as <redacted>', () => {
    const text = renderHuman(mixedPlan(), {color: false})
    expect(text).toContain('"api_key": "<redacted>"')
    expect(text).toContain('token=<redacted>')
  })
})

describe('human plan: colour', () => {
  it('writes no escape byte when colour is off, even from hostile strings', () => {
    const plan = mixedPlan()
    plan.changes[0]!.profile = `evil${ESC}[31m\nname`
    plan.changes[0]!.reason = `clear${ESC}[2J`
    plan.diagnostics[0]!.message = `bell\u0007${ESC}]0;title`
    const text = renderHuman(plan, {color: false})
    expect(text).not.toContain(ESC)
    expect(text).not.toContain('\u0007')
    expect(text).toContain('evil\\u001b[31m name')
  })

  it('colours + green, -/+ and ~ yellow and errors red when on', () => {
    const text = renderHuman(mixedPlan(), {color: true})
    expect(text).toContain(`  ${ESC}[32m+${ESC}[39m ${ESC}[1mbot 6e1f5adb`)
    expect(text).toContain(`  ${ESC}[33m-/+${ESC}[39m ${ESC}[1mbot 22222222`)
    expect(text).toContain(`${ESC}[33m~${ESC}[39m bot`)
    expect(text).toContain(`${ESC}[31m${ESC}[1merror`)
  })
})
