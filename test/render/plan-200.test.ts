import {describe, expect, it} from 'vitest'
import {renderHuman} from '../../src/render/human.js'
import {renderMarkdownReport} from '../../src/render/markdown.js'
import {plan200} from './plan-200.js'

/*
 * Issue 13's 200-bot plan (140 starts sharing one body, 50 restarts of one edited profile, 10 drifted),
 * as a terminal and as a pull-request comment. `npx vitest run test/render -u` rewrites the files: review
 * the diff before committing it.
 */

const plan = plan200()
const SECRETS = ['hook-token-value-not-shown', 'crm-secret-value', 'k-123-not-shown']

describe('the 200-bot plan', () => {
  it('renders for a terminal', async () => {
    const text = renderHuman(plan, {color: false, width: 100})
    await expect(text).toMatchFileSnapshot('./golden/plan-200.txt')
  })

  it('renders as a pull-request comment', async () => {
    const report = renderMarkdownReport(plan)
    expect(report.stage).toBe('full')
    await expect(report.markdown).toMatchFileSnapshot('./golden/plan-200.md')
  })

  it('shows the shared body once, the edited profile as one field diff, and each bot once', () => {
    for (const text of [renderHuman(plan, {color: false, width: 100}), renderMarkdownReport(plan).markdown]) {
      expect(text.match(/"gallery_view_v2"/g)).toHaveLength(1)
      expect(text.match(/retention\.hours: 720 → 2160/g)).toHaveLength(1)
      expect(text).toContain('realtime_endpoints[1]')
      expect(text).toContain('10 unchanged fields hidden')
      expect(text.match(/0000000c-0000-4000-8000-000000000003/g)).toHaveLength(1)
      for (const secret of SECRETS) expect(text).not.toContain(secret)
    }
  })

  it('keeps every field diff and the restart warning when the comment must shrink to a tenth', () => {
    const report = renderMarkdownReport(plan, {maxChars: 4000})
    expect(report.markdown.length).toBeLessThanOrEqual(4000)
    expect(report.markdown).toContain('### ⚠️ Restarts (60)')
    expect(report.markdown).toContain('~ retention.hours: 720 → 2160')
    expect(report.markdown).toContain('**What happens next.**')
  })
})
