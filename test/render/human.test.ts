import {describe, expect, it} from 'vitest'
import {renderHuman} from '../../src/render/human.js'
import {botId, change, largePlan, mixedPlan, noChangesPlan, planOf} from './fixtures.js'

const ESC = '\u001b'

describe('human plan: golden files', () => {
  it('renders a plan with every action, drift and diagnostics', async () => {
    await expect(renderHuman(mixedPlan(), {color: false})).toMatchFileSnapshot('./golden/human-mixed.txt')
  })

  it('renders the same plan in colour', async () => {
    await expect(renderHuman(mixedPlan(), {color: true})).toMatchFileSnapshot('./golden/human-mixed-color.txt')
  })

  it('renders a plan without changes', async () => {
    await expect(renderHuman(noChangesPlan(), {color: false})).toMatchFileSnapshot('./golden/human-no-changes.txt')
  })
})

describe('human plan: restarts', () => {
  const text = renderHuman(mixedPlan(), {color: false})

  it('marks each restart group with -/+ and says it restarts the running recording', () => {
    expect(text).toContain(
      '  -/+ profile sales-call (1 bot)  # restarts the running recording\n      body = v1:0ld0ld0ld0ld0ld0ld0ld0ld0ld0ld00 -> v1:5a1e5c0ffee0000000000000000000aa',
    )
    expect(text).toContain(
      '  -/+ profile sales-call (1 bot)  # restarts the running recording\n      body = not started by recallctl -> v1:5a1e5c0ffee0000000000000000000aa',
    )
  })

  it('shows only the changed fields, nested, when the previous body is known', () => {
    expect(text).toContain('      ~ transcript.provider.recallai_streaming.language_code: "de" → "en"\n')
    expect(text).toContain('      ~ video_mixed_layout: "gallery_view_v2" → "speaker_view"\n')
    expect(text).toContain('      ~ retention.type: "forever" → "timed"\n      + retention.hours: 720\n')
    expect(text).toContain('      # (8 unchanged fields hidden)')
  })

  it('says the old configuration is unknown and shows the desired body when the previous body is unknown', () => {
    const block = text.slice(text.indexOf('not started by recallctl ->'), text.indexOf('will start recording'))
    expect(block).toContain("the running recording's configuration is unknown")
    expect(block).toContain('"video_mixed_layout": "speaker_view"')
    expect(block).toContain('33333333-aaaa-4bbb-8ccc-dddddddddddd (recording rec-333)')
  })

  it('shows a value on several lines when one line does not fit the width', () => {
    const narrow = renderHuman(mixedPlan(), {color: false, width: 40})
    expect(narrow).toContain('      ~ video_mixed_layout:\n      -   "gallery_view_v2"\n      +   "speaker_view"\n')
  })

  it('names a change the redacted values cannot show', () => {
    const c = change('b1', 'restart', {
      field_diff: {
        changes: [
          {path: 'metadata.api_key', kind: 'changed', before: '<redacted>', after: '<redacted>', redacted_difference: true},
        ],
        unchanged: 9,
      },
    })
    expect(renderHuman(planOf([c]), {color: false, width: 200})).toContain(
      '~ metadata.api_key: "<redacted>" → "<redacted>"  # differs in redacted values',
    )
  })

  it('shows a group once for the bots that share it, listing 20 and counting the rest', () => {
    const text = renderHuman(largePlan(45, 25), {color: false})
    expect(text.match(/retention\.type/g)).toHaveLength(1)
    expect(text).toContain('-/+ profile sales-call (25 bots)')
    expect(text).toContain(botId(19))
    expect(text).not.toContain(botId(20))
    expect(text).toContain('…and 5 more')
    expect(text).toContain('+ profile sales-call (20 bots)')
  })
})

describe('human plan: sections', () => {
  it('lists drift once: in its restart group, not again in a drift section', () => {
    const text = renderHuman(mixedPlan(), {color: false})
    expect(text.match(/33333333-aaaa-4bbb-8ccc-dddddddddddd/g)).toHaveLength(1)
    expect(text).not.toContain('Drift:')
  })

  it('lists drift that no restart shows in its own section with ~', () => {
    const plan = planOf([change('a1', 'start')], {
      drift: [{bot_id: 'd1', recording_id: 'rec-d1', reason: 'recording started outside recallctl'}],
    })
    expect(renderHuman(plan, {color: false})).toContain(
      'Drift: recordings not started by recallctl (1):\n  ~ bot d1 recording rec-d1: recording started outside recallctl',
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
    expect(text).toContain(`  ${ESC}[32m+${ESC}[39m ${ESC}[1mprofile sales-call`)
    expect(text).toContain(`  ${ESC}[33m-/+${ESC}[39m ${ESC}[1mprofile sales-call`)
    expect(text).toContain(`${ESC}[33m~ video_mixed_layout`)
    expect(text).toContain(`${ESC}[32m+ retention.hours: 720`)
    expect(text).toContain(`${ESC}[31m${ESC}[1merror`)
  })
})
