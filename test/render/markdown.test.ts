import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {renderMarkdown, renderMarkdownReport} from '../../src/render/markdown.js'
import type {Plan} from '../../src/plan/types.js'
import {botId, change, largePlan, mixedPlan, planOf, summarize} from './fixtures.js'

const fullLength = (plan: ReturnType<typeof mixedPlan>): number => renderMarkdown(plan, {maxChars: 10_000_000}).length

describe('markdown comment: golden files', () => {
  it('renders the whole plan when it fits', async () => {
    const report = renderMarkdownReport(mixedPlan())
    expect(report.stage).toBe('full')
    await expect(report.markdown).toMatchFileSnapshot('./golden/markdown-mixed.md')
  })

  it('renders without bot lists and bodies when those do not fit', async () => {
    const report = renderMarkdownReport(mixedPlan(), {maxChars: lengthAt(mixedPlan(), 'no-bodies')})
    expect(report.stage).toBe('no-bodies')
    await expect(report.markdown).toMatchFileSnapshot('./golden/markdown-mixed-lines.md')
  })

  it('renders the summary, the restart groups and the diagnostics when nothing else fits', async () => {
    const report = renderMarkdownReport(mixedPlan(), {maxChars: 3000})
    expect(report.stage).toBe('summary')
    await expect(report.markdown).toMatchFileSnapshot('./golden/markdown-mixed-summary.md')
  })
})

/** The length of the comment at a stage: a budget of exactly that makes the renderer stop there. */
function lengthAt(plan: Plan, stage: string): number {
  for (let max = fullLength(plan); max > 0; max -= 25) {
    const report = renderMarkdownReport(plan, {maxChars: max})
    if (report.stage === stage) return report.markdown.length
  }
  throw new Error(`no budget reaches stage ${stage}`)
}

describe('markdown comment: structure', () => {
  const text = renderMarkdown(mixedPlan())

  it('starts with the hidden marker carrying the plan digest', () => {
    expect(text.split('\n')[0]).toBe('<!-- recallctl-plan v1 digest=v1:d1ge57d1ge57d1ge57d1ge57d1ge5700 -->')
  })

  it('puts the summary table first, then errors, then the restarts, then the starts', () => {
    const order = [
      '| action | count |',
      '### ❌ Errors (1)',
      '### ⚠️ Restarts (2)',
      '### ➕ Starts (3)',
      '### Warnings (2)',
      '**What happens next.**',
    ].map((s) => text.indexOf(s))
    expect(order.every((at) => at >= 0)).toBe(true)
    expect([...order].sort((x, y) => x - y)).toEqual(order)
  })

  it('shows each restart group with its field diff once, then its bots', () => {
    expect(text).toContain(
      '```diff\n~ transcript.provider.recallai_streaming.language_code: "de" → "en"\n~ retention.type: "forever" → "timed"\n+ retention.hours: 720\n~ video_mixed_layout: "gallery_view_v2" → "speaker_view"\n# 8 unchanged fields hidden\n```',
    )
    expect(text).toContain('Bots: `22222222-aaaa-4bbb-8ccc-dddddddddddd`')
    expect(text).toContain("The running recording's configuration is unknown")
  })

  it('shows bodies in details blocks, with redacted values', () => {
    expect(text).toContain('"api_key": "<redacted>"')
    expect(text.match(/<details>/g)?.length).toBe(text.match(/<\/details>/g)?.length)
  })

  it('lists drift once, in its restart group', () => {
    expect(text.match(/33333333-aaaa-4bbb-8ccc-dddddddddddd/g)).toHaveLength(1)
    expect(text).toContain('`33333333-aaaa-4bbb-8ccc-dddddddddddd` (recording `rec-333`)')
  })

  it('lists diagnostics with their location', () => {
    expect(text).toContain('- ❌ **error** `recordings/sales.yaml:14:7`: **Bot not found.** Bot 0000dead')
  })

  it('ends with what happens next: merge makes the starts, restarts need the approved manual run', () => {
    const footer = text.slice(text.indexOf('**What happens next.**'))
    expect(footer).toContain('apply makes the 3 starts')
    expect(footer).toContain('The 2 restarts need the approved manual run')
    expect(footer).toContain('`recallctl show plan.json`')
  })

  it('never names a local temporary path for the plan file', () => {
    for (const planFile of ['/tmp/tmp.X1/plan.json', '../../tmp/plan.json', 'C:\\Users\\me\\AppData\\Local\\Temp\\plan.json']) {
      const comment = renderMarkdown(largePlan(3000, 30), {planFile})
      expect(comment).not.toMatch(/tmp\/|Temp|\.\.\//)
      expect(comment).toContain('`recallctl show plan.json`')
    }
    expect(renderMarkdown(mixedPlan(), {planFile: 'out/plan.json'})).toContain('`recallctl show out/plan.json`')
  })
})

describe('markdown comment: size budget', () => {
  it('drops, in order, bot lists, then bodies of groups with a field diff, then unchanged sections, then other bodies', () => {
    const plan = largePlan(60, 30)
    plan.changes.push(
      ...Array.from({length: 30}, (_, i) => change(botId(1000 + i), 'pending', {reason: 'bot is in the waiting room'})),
    )
    plan.summary = summarize(plan.changes)
    const stages = new Map<string, string>()
    for (let max = fullLength(plan); max > 1000; max -= 50) {
      const report = renderMarkdownReport(plan, {maxChars: max})
      if (!stages.has(report.stage)) stages.set(report.stage, report.markdown)
    }
    expect([...stages.keys()]).toEqual(['full', 'no-bot-lists', 'no-diff-bodies', 'no-unchanged', 'no-bodies', 'summary'])
    const has = (stage: string, text: string) => stages.get(stage)!.includes(text)
    const diffBody = 'Desired body <code>v1:5a1e5c0ffee0000000000000000000aa</code>'
    expect(has('full', botId(25))).toBe(true)
    expect(has('no-bot-lists', botId(25))).toBe(false)
    expect(has('no-bot-lists', 'Bots: 30 (listed in the plan file).')).toBe(true)
    expect(stages.get('no-bot-lists')!.split(diffBody).length - 1).toBe(2)
    expect(stages.get('no-diff-bodies')!.split(diffBody).length - 1).toBe(1)
    expect(has('no-diff-bodies', botId(1000))).toBe(true)
    expect(has('no-unchanged', botId(1000))).toBe(false)
    expect(stages.get('no-unchanged')).toMatch(/⏳ Pending.*: 30 bots\./)
    expect(has('no-bodies', diffBody)).toBe(false)
    for (const [stage, markdown] of stages) {
      expect(markdown, stage).toContain('### ⚠️ Restarts (30)')
      expect(markdown, stage).toContain('~ retention.type: "forever" → "timed"')
      expect(markdown, stage).toContain('**What happens next.**')
    }
  })

  it('keeps 5,000 bots with 50 restarts under 60,000 characters, with the restart group and its field diff', () => {
    const plan = largePlan(5000, 50)
    const report = renderMarkdownReport(plan)
    expect(report.markdown.length).toBeLessThan(60_000)
    expect(report.restartsListed).toBe(50)
    expect(report.markdown).toContain('~ retention.type: "forever" → "timed"')
    expect(report.markdown).toContain(
      '> This comment was shortened to stay under 60,000 characters: the bots of each group are counted, not listed',
    )
    expect(report.markdown).toContain('See the whole plan with `recallctl show plan.json`.')
    expect(report.markdown).toContain('**Plan: 4950 to start, 50 to restart, 0 unchanged, 0 pending, 0 completed.**')
  })

  it('collapses thousands of unchanged bots to a count', () => {
    const changes = [
      change(botId(0), 'start'),
      ...Array.from({length: 5000}, (_, i) => change(botId(i + 1), 'noop', {reason: 'in sync'})),
    ]
    const report = renderMarkdownReport(planOf(changes))
    expect(report.stage).toBe('full')
    expect(report.markdown).toContain('✅ Unchanged: 5000 bots.')
    expect(report.markdown).toContain(`\`${botId(0)}\``)
  })

  it('shows as many groups as fit and says how many more when the groups alone exceed the budget', () => {
    const changes = Array.from({length: 400}, (_, i) =>
      change(botId(i), 'restart', {
        profile: `p${i}`,
        before: {
          status: 'in_call_recording',
          newest_recording_id: 'r',
          active_recording_id: 'r',
          active_digest: `v1:${i}`,
          active_profile: `p${i}`,
        },
        field_diff: {changes: [{path: 'retention.hours', kind: 'changed', before: i, after: i + 1}], unchanged: 9},
      }),
    )
    const report = renderMarkdownReport(planOf(changes), {planFile: 'out/plan.json', maxChars: 20_000})
    expect(report.markdown.length).toBeLessThanOrEqual(20_000)
    expect(report.stage).toBe('summary')
    expect(report.restartsListed).toBeGreaterThan(20)
    expect(report.restartsListed).toBeLessThan(400)
    expect(report.markdown).toContain(
      `…and ${400 - report.restartsListed} more groups (${400 - report.restartsListed} bots), not shown for space: see \`recallctl show out/plan.json\`.`,
    )
    expect(report.markdown).toContain('### ⚠️ Restarts (400)')
  })

  it('never exceeds maxChars, whatever the budget', () => {
    const plans = [mixedPlan(), largePlan(300, 40)]
    fc.assert(
      fc.property(fc.integer({min: 0, max: 40_000}), fc.integer({min: 0, max: 1}), (maxChars, which) => {
        const text = renderMarkdown(plans[which]!, {maxChars})
        expect(text.length).toBeLessThanOrEqual(maxChars)
      }),
      {numRuns: 200},
    )
  })

  it('keeps the marker and the restart count when only a few hundred characters are allowed', () => {
    const text = renderMarkdown(largePlan(100, 10), {maxChars: 300})
    expect(text.length).toBeLessThanOrEqual(300)
    expect(text.startsWith('<!-- recallctl-plan v1 digest=')).toBe(true)
    expect(text).toContain('10 restarts')
  })
})

describe('markdown comment: escaping', () => {
  const hostile =
    '**x** <img src=x onerror=alert(1)> [link](https://evil.example) | `tick` @octocat #1 :smile: </details>\n# heading'
  const plan = planOf([
    change('bot`id', 'restart', {profile: hostile, reason: hostile, previous_body: null}),
    change('plain', 'start', {profile: hostile, after: {digest: 'v1:d', body: {metadata: {note: '```\n</details>'}}}}),
  ])
  plan.diagnostics = [{severity: 'error', code: 'invalid', message: hostile, file: 'a`b.yaml', line: 1, column: 2}]
  plan.plan_digest = 'v1:abc --> <b>'
  const text = renderMarkdown(plan)

  it('escapes markdown and HTML in profile names, reasons and messages', () => {
    // <summary> lines are raw HTML (markdown isn't parsed there): only HTML escaping applies.
    for (const line of text.split('\n')) {
      if (line.startsWith('<details><summary>')) expect(line).not.toMatch(/<img|<\/details>.*<\/summary>/)
      else {
        expect(line).not.toMatch(/(?<!\\)<img/)
        expect(line).not.toMatch(/(?<!\\)\[link/)
      }
    }
    expect(text).toContain(
      '\\*\\*x\\*\\* \\<img src=x onerror=alert\\(1\\)\\> \\[link\\]\\(https\\://evil.example\\) \\| \\`tick\\` \\@octocat \\#1 \\:smile\\: \\</details\\> \\# heading',
    )
  })

  it('keeps its own details blocks balanced', () => {
    const opened = text.match(/<details>/g)?.length ?? 0
    const closed = text.split('\n').filter((line) => line === '</details>').length
    expect(closed).toBe(opened)
  })

  it('fences code so content cannot close it, and quotes backticks in code spans', () => {
    expect(text).toContain('````json\n')
    expect(text).toContain('``bot`id``')
    expect(text).toContain('``a`b.yaml:1:2``')
  })

  it('keeps the marker a well-formed comment', () => {
    expect(text.split('\n')[0]).toBe('<!-- recallctl-plan v1 digest=v1:abcb -->')
  })
})
