import {formatLocation, type Diagnostic} from '../shared/diagnostics.js'
import type {Action, Plan, PlannedChange} from '../plan/types.js'
import {compareBodies, fieldDiffLines, prettyJson} from './body-diff.js'
import {codeBlock, codeSpan, escapeHtml, escapeMarkdown, markerSafe} from './markdown-escape.js'
import {
  ACTION_HEADING,
  LISTED_ACTIONS,
  RESTART_NOTE,
  adoptedCount,
  bodiesByDigest,
  changedFields,
  countSeverity,
  diagnosticsBySeverity,
  groupByAction,
  plural,
  summaryLines,
} from './summary.js'

/**
 * How much of the plan a comment holds: everything; one line per bot (no bodies or diffs); or only the
 * summary, the restarts and the diagnostics.
 */
export type MarkdownStage = 'full' | 'lines' | 'summary'

export interface MarkdownOptions {
  /** The comment never exceeds this many characters (UTF-16 units, as GitHub counts). Default 60,000. */
  maxChars?: number
  /** The saved plan named in "see everything with `recallctl show …`". Default `plan.json`. */
  planFile?: string
  /** In the one-line-per-bot stage, unchanged bots are listed up to this many, else counted. Default 10. */
  maxListedUnchanged?: number
}

export interface MarkdownReport {
  markdown: string
  stage: MarkdownStage
  /** Restarts named in the comment; less than `restartsTotal` only when the budget can't hold them all. */
  restartsListed: number
  restartsTotal: number
}

export const DEFAULT_MAX_CHARS = 60_000
/** First line of every comment, so a workflow can find and update its own comment. */
export const MARKER_PREFIX = '<!-- recallctl-plan v1'

const EMOJI: Record<Action, string> = {
  start: '➕',
  restart: '🔁',
  noop: '✅',
  pending: '⏳',
  completed: '🏁',
  blocked: '⛔',
  missing: '❓',
  unknown: '❔',
}

interface Context {
  plan: Plan
  groups: Record<Action, PlannedChange[]>
  max: number
  planFile: string
  maxListedUnchanged: number
}

/** Renders a plan as a GitHub pull-request comment. Pure. */
export const renderMarkdown = (plan: Plan, options: MarkdownOptions = {}): string =>
  renderMarkdownReport(plan, options).markdown

/** Like `renderMarkdown`, and says which stage the size budget allowed. */
export function renderMarkdownReport(plan: Plan, options: MarkdownOptions = {}): MarkdownReport {
  const ctx: Context = {
    plan,
    groups: groupByAction(plan.changes),
    max: options.maxChars ?? DEFAULT_MAX_CHARS,
    planFile: options.planFile ?? 'plan.json',
    maxListedUnchanged: options.maxListedUnchanged ?? 10,
  }
  const restartsTotal = ctx.groups.restart.length
  for (const stage of ['full', 'lines'] as const) {
    const markdown = documentText(stagedParts(ctx, stage))
    if (markdown.length <= ctx.max) return {markdown, stage, restartsListed: restartsTotal, restartsTotal}
  }
  return summaryStage(ctx)
}

const documentText = (parts: readonly string[]): string => `${parts.join('\n\n')}\n`
const documentLength = (parts: readonly string[]): number =>
  parts.reduce((n, part) => n + part.length, 0) + 2 * Math.max(0, parts.length - 1) + 1

// ---------- the stages ----------

function stagedParts(ctx: Context, stage: 'full' | 'lines'): string[] {
  const {plan, groups} = ctx
  const collapseUnchanged = stage === 'lines' && groups.noop.length > ctx.maxListedUnchanged
  const parts = [marker(plan), ...head(ctx)]
  if (stage === 'lines') parts.push(notice(ctx, 'lines', collapseUnchanged))
  if (groups.restart.length > 0) parts.push(restartsHeading(ctx), groups.restart.map(restartItem).join('\n'))
  if (plan.diagnostics.length > 0) parts.push('### Diagnostics', diagnosticItems(plan.diagnostics).join('\n'))
  if (plan.drift.length > 0) parts.push(...driftSection(plan))
  const details: string[] = []
  if (stage === 'full') {
    for (const c of groups.restart) details.push(restartDetails(c))
    if (groups.start.length > 0) details.push(detailsBlock(`${EMOJI.start} ${ACTION_HEADING.start} (${groups.start.length})`, botList(groups.start)))
    for (const group of bodiesByDigest(groups.start)) {
      const title = `Body <code>${escapeHtml(group.digest)}</code> · profile ${group.profiles.map(escapeHtml).join(', ')} · ${plural(group.bots.length, 'bot')}`
      details.push(detailsBlock(title, codeBlock(prettyJson(group.body), 'json')))
    }
  } else if (groups.start.length > 0) {
    details.push(detailsBlock(`${EMOJI.start} ${ACTION_HEADING.start} (${groups.start.length})`, botList(groups.start)))
  }
  for (const action of LISTED_ACTIONS) {
    const changes = groups[action]
    if (changes.length === 0) continue
    if (action === 'noop' && collapseUnchanged) {
      const adopted = adoptedCount(changes)
      details.push(`${EMOJI.noop} ${ACTION_HEADING.noop}: ${plural(changes.length, 'bot')}${adopted > 0 ? `, ${adopted} adopted` : ''}.`)
      continue
    }
    details.push(detailsBlock(`${EMOJI[action]} ${escapeHtml(ACTION_HEADING[action])} (${changes.length})`, botList(changes)))
  }
  if (details.length > 0) parts.push('### Details', ...details)
  return parts
}

/**
 * The last stage: summary, restarts and diagnostics. Restarts come first and are cut only when they
 * alone exceed the budget; diagnostics get what is left, errors first.
 */
function summaryStage(ctx: Context): MarkdownReport {
  const {plan, groups, max} = ctx
  const restartsTotal = groups.restart.length
  const parts = [marker(plan), ...head(ctx), notice(ctx, 'summary', true)]
  if (documentLength(parts) > max) return minimal(ctx)

  let restartsListed = 0
  if (restartsTotal > 0) {
    const heading = restartsHeading(ctx)
    const budget = max - documentLength([...parts, heading, ''])
    const fitted = fitList(groups.restart.map(restartItem), (n) => `- …and ${plural(n, 'more restart')}, not listed for space: see ${codeSpan(`recallctl show ${ctx.planFile}`)}.`, budget)
    if (fitted === undefined) return minimal(ctx)
    parts.push(heading, fitted.text)
    restartsListed = fitted.shown
  }
  if (plan.diagnostics.length > 0) {
    const budget = max - documentLength([...parts, '### Diagnostics', ''])
    const fitted = fitList(diagnosticItems(plan.diagnostics), (n) => `- …and ${plural(n, 'more diagnostic')}, not listed for space: see ${codeSpan(`recallctl show ${ctx.planFile}`)}.`, budget)
    if (fitted !== undefined) parts.push('### Diagnostics', fitted.text)
  }
  return {markdown: documentText(parts), stage: 'summary', restartsListed, restartsTotal}
}

/** The most items (in order) that fit in `budget` characters, with a closing "and N more" line if cut. */
function fitList(items: readonly string[], more: (n: number) => string, budget: number): {text: string; shown: number} | undefined {
  let length = 0
  let best: number | undefined
  const lengthWith = (shown: number): number => {
    if (shown === items.length) return length
    const tail = more(items.length - shown).length
    return shown === 0 ? tail : length + 1 + tail
  }
  for (let shown = 0; shown <= items.length; shown++) {
    if (shown > 0) length += (shown > 1 ? 1 : 0) + (items[shown - 1]?.length ?? 0)
    if (length > budget) break
    if (lengthWith(shown) <= budget) best = shown
  }
  if (best === undefined) return undefined
  const shown = items.slice(0, best)
  if (best < items.length) shown.push(more(items.length - best))
  return {text: shown.join('\n'), shown: best}
}

/** When not even the summary fits (a tiny budget): the marker and a pointer, cut to the budget. */
function minimal(ctx: Context): MarkdownReport {
  const {plan, max, groups} = ctx
  const restarts = groups.restart.length
  const text = documentText([
    marker(plan),
    `**${summaryLines(plan.summary, countSeverity(plan, 'error'))[0]}**${restarts > 0 ? ` ⚠️ ${plural(restarts, 'restart')}.` : ''} Too large to show here: see ${codeSpan(`recallctl show ${ctx.planFile}`)}.`,
  ])
  return {markdown: text.length <= max ? text : text.slice(0, max), stage: 'summary', restartsListed: 0, restartsTotal: restarts}
}

// ---------- sections ----------

const marker = (plan: Plan): string => `${MARKER_PREFIX} digest=${markerSafe(plan.plan_digest)} -->`

function head(ctx: Context): string[] {
  const {plan} = ctx
  const [headline, counts] = summaryLines(plan.summary, countSeverity(plan, 'error'))
  const sentence = counts === undefined ? `**${headline}**` : `**${headline}** ${counts}`
  const meta = `Workspace ${codeSpan(plan.workspace.base_url)} · plan ${codeSpan(plan.plan_digest)} · made ${escapeMarkdown(plan.created_at)} by recallctl ${escapeMarkdown(plan.tool_version)}`
  return ['### recallctl plan', `${sentence}\n${meta}`, summaryTable(ctx)]
}

function summaryTable({plan, groups}: Context): string {
  const s = plan.summary
  const adopted = adoptedCount(groups.noop)
  const rows: Array<[string, string]> = [
    [`${EMOJI.start} start`, `${s.start}`],
    [`${EMOJI.restart} **restart**`, s.restart > 0 ? `**${s.restart}**` : '0'],
    [`${EMOJI.noop} unchanged`, adopted > 0 ? `${s.noop} (${adopted} adopted)` : `${s.noop}`],
    [`${EMOJI.pending} pending`, `${s.pending}`],
    [`${EMOJI.completed} completed`, `${s.completed}`],
  ]
  for (const action of ['blocked', 'missing', 'unknown'] as const)
    if (s[action] > 0) rows.push([`${EMOJI[action]} ${action}`, `${s[action]}`])
  if (plan.drift.length > 0) rows.push(['〰️ drift', `${plan.drift.length}`])
  const errors = countSeverity(plan, 'error')
  const warnings = countSeverity(plan, 'warning')
  if (errors > 0) rows.push(['❌ errors', `${errors}`])
  if (warnings > 0) rows.push(['⚠️ warnings', `${warnings}`])
  return ['| action | count |', '| --- | ---: |', ...rows.map(([a, n]) => `| ${a} | ${n} |`)].join('\n')
}

function notice(ctx: Context, stage: 'lines' | 'summary', unchangedCollapsed: boolean): string {
  const cut =
    stage === 'lines'
      ? `recording bodies and field diffs are left out${unchangedCollapsed ? ', and unchanged bots are only counted' : ''}`
      : `the per-bot lists, recording bodies, field diffs${ctx.plan.drift.length > 0 ? ' and drift' : ''} are left out; only the restarts and the diagnostics are listed`
  return [
    '> [!NOTE]',
    `> This comment was shortened to stay under ${ctx.max.toLocaleString('en-US')} characters: ${cut}.`,
    `> See the whole plan with ${codeSpan(`recallctl show ${ctx.planFile}`)}.`,
  ].join('\n')
}

const restartsHeading = ({groups}: Context): string =>
  `### ⚠️ Restarts (${groups.restart.length})\n\n` +
  `Applying this plan ${RESTART_NOTE} of these bots: the meeting's media is split at the restart. ` +
  'Apply refuses unless `allow_restart: true` is set in `recall.config.yaml` or `--allow-restart` is given.'

function restartItem(c: PlannedChange): string {
  const fromBodies = c.previous_body == null ? [] : compareBodies(c.previous_body, c.after.body).changes.map((f) => f.field)
  const fields = changedFields(c, fromBodies)
  const what =
    fields.length > 0
      ? `fields changed: ${fields.map((f) => codeSpan(f)).join(', ')}`
      : 'previous configuration unknown'
  return `- ${codeSpan(c.bot_id)} · profile **${escapeMarkdown(c.profile)}** · ${what} — ${escapeMarkdown(c.reason)}`
}

function diagnosticItems(diagnostics: readonly Diagnostic[]): string[] {
  return diagnosticsBySeverity(diagnostics).map((d) => {
    const label = d.severity === 'error' ? '❌ **error**' : '⚠️ **warning**'
    const where = formatLocation(d)
    const lines = [`- ${label}${where === '' ? '' : ` ${codeSpan(where)}`}: ${escapeMarkdown(d.message)}`]
    for (const r of d.related ?? []) {
      const at = formatLocation(r)
      lines.push(`  - ${at === '' ? '' : `${codeSpan(at)}: `}${escapeMarkdown(r.message)}`)
    }
    return lines.join('\n')
  })
}

const driftSection = (plan: Plan): string[] => [
  `### 〰️ Drift (${plan.drift.length})\n\nRecordings not started by recallctl:`,
  plan.drift.map((d) => `- ${codeSpan(d.bot_id)} recording ${codeSpan(d.recording_id)}: ${escapeMarkdown(d.reason)}`).join('\n'),
]

const botList = (changes: readonly PlannedChange[]): string =>
  changes
    .map((c) => {
      const body = c.action === 'start' ? ` · body ${codeSpan(c.after.digest)}` : ''
      const adopted = c.adopted ? ' (adopted)' : ''
      return `- ${codeSpan(c.bot_id)} · profile **${escapeMarkdown(c.profile)}**${body}: ${escapeMarkdown(c.reason)}${adopted}`
    })
    .join('\n')

/** `summaryHtml` is already HTML-safe. A blank line after `<summary>` lets GitHub parse the markdown inside. */
const detailsBlock = (summaryHtml: string, markdown: string): string =>
  `<details><summary>${summaryHtml}</summary>\n\n${markdown}\n\n</details>`

function restartDetails(c: PlannedChange): string {
  const title = `${EMOJI.restart} Restart <code>${escapeHtml(c.bot_id)}</code> · profile ${escapeHtml(c.profile)}`
  const intro = `- why: ${escapeMarkdown(c.reason)}\n- body: ${codeSpan(c.before.active_digest ?? 'unknown')} → ${codeSpan(c.after.digest)}`
  if (c.previous_body == null) {
    const body = codeBlock(prettyJson(c.after.body), 'json')
    return detailsBlock(title, `${intro}\n\nThe running recording's configuration is unknown (it was not started by recallctl, or its profile is gone). Desired body:\n\n${body}`)
  }
  const {changes, unchanged} = compareBodies(c.previous_body, c.after.body)
  const lines = changes.flatMap((change) => fieldDiffLines(change, true).map(({sign, text}) => `${sign} ${text}`))
  for (const field of c.fields_changed)
    if (!changes.some((ch) => ch.field === field)) lines.push(`! ${field}: differs in redacted values`)
  if (unchanged > 0) lines.push(`# (${plural(unchanged, 'unchanged field')} hidden)`)
  return detailsBlock(title, `${intro}\n\n${codeBlock(lines.join('\n'), 'diff')}`)
}
