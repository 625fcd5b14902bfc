import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {renderMarkdown, renderMarkdownReport} from '../../src/render/markdown.js'
import {botId, change, largePlan, mixedPlan, planOf} from './fixtures.js'
import {expectGolden} from './golden.js'

const fullLength = (plan: ReturnType<typeof mixedPlan>): number => renderMarkdown(plan, {maxChars: 10_000_000}).length

describe('markdown comment: golden files', () => {
  it('renders the whole plan when it fits', () => {
    const report = renderMarkdownReport(mixedPlan())
    expect(report.stage).toBe('full')
    expectGolden('markdown-mixed.md', report.markdown)
  })

  it('renders one line per bot when the bodies do not fit', () => {
    const report = renderMarkdownReport(mixedPlan(), {maxChars: fullLength(mixedPlan()) - 1})
    expect(report.stage).toBe('lines')
    expectGolden('markdown-mixed-lines.md', report.markdown)
  })

  it('renders the summary, restarts and diagnostics when the lines do not fit', () => {
    const report = renderMarkdownReport(mixedPlan(), {maxChars: 2500})
    expect(report.stage).toBe('summary')
    expectGolden('markdown-mixed-summary.md', report.markdown)
  })
})

describe('markdown comment: structure', () => {
  const text = renderMarkdown(mixedPlan())

  it('starts with the hidden marker carrying the plan digest', () => {
    expect(text.split('\n')[0]).toBe('<!-- recallctl-plan v1 digest=v1:d1ge57d1ge57d1ge57d1ge57d1ge5700 -->')
  })

  it('puts the summary table before any restart or detail', () => {
    expect(text.indexOf('| action | count |')).toBeLessThan(text.indexOf('### ⚠️ Restarts (2)'))
    expect(text.indexOf('### ⚠️ Restarts (2)')).toBeLessThan(text.indexOf('<details>'))
  })

  it('lists every restart with its profile, reason and changed fields', () => {
    expect(text).toContain(
      '- `22222222-aaaa-4bbb-8ccc-dddddddddddd` · profile **sales-call** · fields changed: `transcript`, `retention`, `video_mixed_layout`',
    )
    expect(text).toContain('- `33333333-aaaa-4bbb-8ccc-dddddddddddd` · profile **sales-call** · previous configuration unknown')
  })

  it('shows restart diffs and bodies in details blocks, with redacted values', () => {
    expect(text).toContain('```diff\n  transcript: {')
    expect(text).toContain('- video_mixed_layout: "gallery_view_v2"\n+ video_mixed_layout: "speaker_view"')
    expect(text).toContain('"api_key": "<redacted>"')
    expect(text.match(/<details>/g)?.length).toBe(text.match(/<\/details>/g)?.length)
  })

  it('lists diagnostics with their location', () => {
    expect(text).toContain('- ❌ **error** `recordings/sales.yaml:14:7`: Bot 0000dead')
  })
})

describe('markdown comment: size budget', () => {
  it('keeps 5,000 bots with 50 restarts under 60,000 characters, still naming every restart', () => {
    const plan = largePlan(5000, 50)
    const report = renderMarkdownReport(plan)
    expect(report.markdown.length).toBeLessThan(60_000)
    expect(report.stage).toBe('summary')
    expect(report.restartsListed).toBe(50)
    for (let i = 0; i < 50; i++) expect(report.markdown).toContain(`\`${botId(i)}\``)
    expect(report.markdown).toContain('> This comment was shortened to stay under 60,000 characters: the per-bot lists')
    expect(report.markdown).toContain('See the whole plan with `recallctl show plan.json`.')
    expect(report.markdown).toContain('**Plan: 4950 to start, 50 to restart, 0 unchanged, 0 pending, 0 completed.**')
  })

  it('collapses thousands of unchanged bots to a count in the one-line stage', () => {
    const changes = [change(botId(0), 'start'), ...Array.from({length: 5000}, (_, i) => change(botId(i + 1), 'noop', {reason: 'in sync'}))]
    const plan = planOf(changes)
    plan.changes[0]!.after.body = {...plan.changes[0]!.after.body, big: 'x'.repeat(60_000)}
    const report = renderMarkdownReport(plan)
    expect(report.stage).toBe('lines')
    expect(report.markdown).toContain('✅ Unchanged: 5000 bots.')
    expect(report.markdown).toContain(`\`${botId(0)}\``)
    expect(report.markdown).toContain('recording bodies and field diffs are left out, and unchanged bots are only counted')
  })

  it('lists as many restarts as fit and says how many more when restarts alone exceed the budget', () => {
    const report = renderMarkdownReport(largePlan(3000, 3000), {planFile: 'out/plan.json'})
    expect(report.markdown.length).toBeLessThanOrEqual(60_000)
    expect(report.restartsListed).toBeGreaterThan(100)
    expect(report.restartsListed).toBeLessThan(3000)
    expect(report.markdown).toContain(`- …and ${3000 - report.restartsListed} more restarts, not listed for space: see \`recallctl show out/plan.json\`.`)
    expect(report.markdown).toContain('### ⚠️ Restarts (3000)')
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
  const hostile = '**x** <img src=x onerror=alert(1)> [link](https://evil.example) | `tick` @octocat #1 :smile: </details>\n# heading'
  const plan = planOf([
    change('bot`id', 'restart', {profile: hostile, reason: hostile, previous_body: null}),
    change('plain', 'start', {profile: hostile, after: {digest: 'v1:d', body: {metadata: {note: '```\n</details>'}}}}),
  ])
  plan.diagnostics = [{severity: 'error', code: 'x', message: hostile, file: 'a`b.yaml', line: 1, column: 2}]
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
    expect(text).toContain('\\*\\*x\\*\\* \\<img src=x onerror=alert\\(1\\)\\> \\[link\\]\\(https\\://evil.example\\) \\| \\`tick\\` \\@octocat \\#1 \\:smile\\: \\</details\\> \\# heading')
    expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;')
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
