import {diagnosticSummary} from '../shared/diagnostic-codes.js'
import {formatLocation, type Diagnostic} from '../shared/diagnostics.js'
import type {Action, DriftEntry, Plan, PlannedChange} from '../plan/types.js'
import {fieldChangeLines, prettyJson, unchangedLine} from './body-diff.js'
import {changeGroups, driftNotInGroups, MAX_LISTED_GROUP_BOTS, type ChangeGroup} from './change-groups.js'
import {codeBlock, codeSpan, escapeHtml, escapeMarkdown, markerSafe} from './markdown-escape.js'
import {
  ACTION_HEADING,
  LISTED_ACTIONS,
  RESTART_NOTE,
  adoptedCount,
  countSeverity,
  diagnosticsBySeverity,
  groupByAction,
  plural,
  summaryLines,
} from './summary.js'

/**
 * How much of the plan a comment holds. A plan too long for the budget drops, in this order: the bot ids
 * inside each group (counts kept), the bodies of groups shown as a field diff, the per-bot lists of bots
 * with nothing to do, every other body; then ('summary') as many groups and diagnostics as fit. Every
 * group's field diff and the restart warning stay to the end.
 */
export type MarkdownStage = 'full' | 'no-bot-lists' | 'no-diff-bodies' | 'no-unchanged' | 'no-bodies' | 'summary'

export interface MarkdownOptions {
  /** The comment never exceeds this many characters (UTF-16 units, as GitHub counts). Default 60,000. */
  maxChars?: number
  /**
   * The saved plan named in "see everything with `recallctl show …`". Default `plan.json`. An absolute
   * path or one that leaves the working directory is shown by its file name only (no local temp path).
   */
  planFile?: string
  /** Unchanged bots are listed up to this many, else counted. Default 10. */
  maxListedUnchanged?: number
}

export interface MarkdownReport {
  markdown: string
  stage: MarkdownStage
  /** Restarting bots whose group the comment shows; less than `restartsTotal` only when the budget can't hold every group. */
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

/** What a stage leaves out; each stage leaves out what the one before did, and more. */
interface Cuts {
  botLists: boolean
  diffBodies: boolean
  unchanged: boolean
  bodies: boolean
}

const STAGES: ReadonlyArray<[MarkdownStage, Cuts]> = [
  ['full', {botLists: false, diffBodies: false, unchanged: false, bodies: false}],
  ['no-bot-lists', {botLists: true, diffBodies: false, unchanged: false, bodies: false}],
  ['no-diff-bodies', {botLists: true, diffBodies: true, unchanged: false, bodies: false}],
  ['no-unchanged', {botLists: true, diffBodies: true, unchanged: true, bodies: false}],
  ['no-bodies', {botLists: true, diffBodies: true, unchanged: true, bodies: true}],
]
const ALL_CUT: Cuts = {botLists: true, diffBodies: true, unchanged: true, bodies: true}

interface Context {
  plan: Plan
  byAction: Record<Action, PlannedChange[]>
  groups: ChangeGroup[]
  max: number
  planFile: string
  maxListedUnchanged: number
}

/** Renders a plan as a GitHub pull-request comment. Pure. */
export const renderMarkdown = (plan: Plan, options: MarkdownOptions = {}): string => renderMarkdownReport(plan, options).markdown

/** Like `renderMarkdown`, and says which stage the size budget allowed. */
export function renderMarkdownReport(plan: Plan, options: MarkdownOptions = {}): MarkdownReport {
  const ctx: Context = {
    plan,
    byAction: groupByAction(plan.changes),
    groups: changeGroups(plan),
    max: options.maxChars ?? DEFAULT_MAX_CHARS,
    planFile: shownPlanFile(options.planFile ?? 'plan.json'),
    maxListedUnchanged: options.maxListedUnchanged ?? 10,
  }
  const restartsTotal = ctx.byAction.restart.length
  for (const [stage, cuts] of STAGES) {
    const markdown = documentText(stagedParts(ctx, stage, cuts))
    if (markdown.length <= ctx.max) return {markdown, stage, restartsListed: restartsTotal, restartsTotal}
  }
  return summaryStage(ctx)
}

/** A plan file path as the comment may show it: relative paths inside the working directory as given, else the file name. */
export function shownPlanFile(file: string): string {
  const parts = file.split(/[\\/]/)
  const absolute = /^([\\/]|[A-Za-z]:)/.test(file)
  return absolute || parts.includes('..') ? (parts.filter((part) => part !== '').pop() ?? 'plan.json') : file
}

const documentText = (parts: readonly string[]): string => `${parts.join('\n\n')}\n`
const documentLength = (parts: readonly string[]): number =>
  parts.reduce((n, part) => n + part.length, 0) + 2 * Math.max(0, parts.length - 1) + 1

// ---------- the stages ----------

function stagedParts(ctx: Context, stage: MarkdownStage, cuts: Cuts): string[] {
  const {plan} = ctx
  const parts = [marker(plan), ...head(ctx)]
  if (stage !== 'full') parts.push(notice(ctx, cuts, false))
  const errors = plan.diagnostics.filter((d) => d.severity === 'error')
  if (errors.length > 0) parts.push(`### ❌ Errors (${errors.length})`, diagnosticItems(errors).join('\n'))
  parts.push(...changeSections(ctx, ctx.groups, cuts))
  const warnings = plan.diagnostics.filter((d) => d.severity !== 'error')
  if (warnings.length > 0) parts.push(`### Warnings (${warnings.length})`, diagnosticItems(warnings).join('\n'))
  parts.push(...otherSections(ctx, cuts))
  parts.push(footer(ctx))
  return parts
}

/** The restart warning and groups, then the start groups. */
function changeSections(ctx: Context, groups: readonly ChangeGroup[], cuts: Cuts, more?: string): string[] {
  const parts: string[] = []
  const restarts = groups.filter((g) => g.action === 'restart')
  const starts = groups.filter((g) => g.action === 'start')
  if (ctx.byAction.restart.length > 0) parts.push(restartsHeading(ctx), ...restarts.map((g) => groupBlock(g, cuts)))
  if (starts.length > 0)
    parts.push(`### ${EMOJI.start} Starts (${ctx.byAction.start.length})`, ...starts.map((g) => groupBlock(g, cuts)))
  if (more !== undefined) parts.push(more)
  return parts
}

/** Drift not shown in a restart group, then the bots with nothing to do now, per action. */
function otherSections(ctx: Context, cuts: Cuts): string[] {
  const {plan, byAction} = ctx
  const parts: string[] = []
  const drift = driftNotInGroups(plan, ctx.groups)
  if (drift.length > 0 && !cuts.unchanged) parts.push(...driftSection(drift))
  const details: string[] = []
  for (const action of LISTED_ACTIONS) {
    const changes = byAction[action]
    if (changes.length === 0) continue
    if (cuts.unchanged || (action === 'noop' && changes.length > ctx.maxListedUnchanged)) {
      const adopted = action === 'noop' ? adoptedCount(changes) : 0
      details.push(
        `${EMOJI[action]} ${escapeMarkdown(ACTION_HEADING[action])}: ${plural(changes.length, 'bot')}${adopted > 0 ? `, ${adopted} adopted` : ''}.`,
      )
      continue
    }
    details.push(detailsBlock(`${EMOJI[action]} ${escapeHtml(ACTION_HEADING[action])} (${changes.length})`, botList(changes)))
  }
  if (details.length > 0) parts.push('### Other bots', ...details)
  return parts
}

/**
 * The last stage: everything cut that can be, then as many groups as fit (restarts first, each with its
 * field diff) and as many diagnostics as fit, errors first.
 */
function summaryStage(ctx: Context): MarkdownReport {
  const {plan, max} = ctx
  const restartsTotal = ctx.byAction.restart.length
  const fixed = [marker(plan), ...head(ctx), notice(ctx, ALL_CUT, true)]
  const end = footer(ctx)
  if (documentLength([...fixed, end]) > max) return minimal(ctx)

  // Groups first: they keep the restart warning and every field diff until nothing else is left.
  const budget = max - documentLength([...fixed, end, 'x']) - 1
  const shown = groupsThatFit(ctx, budget)
  const left = ctx.groups.slice(shown)
  const more =
    left.length === 0
      ? undefined
      : moreGroupsLine(
          ctx,
          left.length,
          left.reduce((n, g) => n + g.changes.length, 0),
        )
  const groupParts = changeSections(ctx, ctx.groups.slice(0, shown), ALL_CUT, more)
  const restartsListed = ctx.groups
    .slice(0, shown)
    .filter((g) => g.action === 'restart')
    .reduce((n, g) => n + g.changes.length, 0)

  // Diagnostics get the room left, errors first, and are shown before the groups (errors come first).
  const diagnostics: string[] = []
  if (plan.diagnostics.length > 0) {
    const room = max - documentLength([...fixed, ...groupParts, end, '### Diagnostics', ''])
    const fitted = fitList(
      diagnosticItems(plan.diagnostics),
      (n) => `- …and ${plural(n, 'more diagnostic')}, not listed for space: see ${codeSpan(`recallctl show ${ctx.planFile}`)}.`,
      room,
    )
    if (fitted !== undefined) diagnostics.push('### Diagnostics', fitted.text)
  }
  const markdown = documentText([...fixed, ...diagnostics, ...groupParts, end])
  if (markdown.length > max) return minimal(ctx)
  return {markdown, stage: 'summary', restartsListed, restartsTotal}
}

/** How many groups (in order) `changeSections` can show within `budget` characters, with its "and N more" line. */
function groupsThatFit(ctx: Context, budget: number): number {
  const blocks = ctx.groups.map((g) => groupBlock(g, ALL_CUT).length)
  const restartGroups = ctx.groups.filter((g) => g.action === 'restart').length
  const startsHeading = `### ${EMOJI.start} Starts (${ctx.byAction.start.length})`.length
  const heading = ctx.byAction.restart.length > 0 ? restartsHeading(ctx).length : 0
  let total = blocks.reduce((n, b) => n + b, 0)
  let botsLeft = 0
  for (let shown = blocks.length; shown >= 0; shown--) {
    if (shown < blocks.length) {
      total -= blocks[shown] as number
      botsLeft += ctx.groups[shown]?.changes.length ?? 0
    }
    const more = shown < blocks.length ? moreGroupsLine(ctx, blocks.length - shown, botsLeft).length : 0
    const pieces = (heading > 0 ? 1 : 0) + shown + (shown > restartGroups ? 1 : 0) + (more > 0 ? 1 : 0)
    const length = heading + total + (shown > restartGroups ? startsHeading : 0) + more + 2 * Math.max(0, pieces - 1)
    if (length <= budget) return shown
  }
  return 0
}

const moreGroupsLine = (ctx: Context, groups: number, bots: number): string =>
  `…and ${plural(groups, 'more group')} (${plural(bots, 'bot')}), not shown for space: see ${codeSpan(`recallctl show ${ctx.planFile}`)}.`

/** The most items (in order) that fit in `budget` characters, with a closing "and N more" line if cut. */
function fitList(
  items: readonly string[],
  more: (n: number) => string,
  budget: number,
): {text: string; shown: number} | undefined {
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
  const {plan, max} = ctx
  const restarts = ctx.byAction.restart.length
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

function summaryTable({plan, byAction}: Context): string {
  const s = plan.summary
  const adopted = adoptedCount(byAction.noop)
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

function notice(ctx: Context, cuts: Cuts, fitted: boolean): string {
  const cut: string[] = []
  if (cuts.botLists) cut.push('the bots of each group are counted, not listed')
  if (cuts.bodies) cut.push('recording bodies are left out (field diffs are kept)')
  else if (cuts.diffBodies) cut.push('bodies of groups shown as a field diff are left out')
  if (cuts.unchanged) cut.push('bots with nothing to do now are only counted')
  if (fitted) cut.push('groups and diagnostics are shown as far as they fit')
  return [
    '> [!NOTE]',
    `> This comment was shortened to stay under ${ctx.max.toLocaleString('en-US')} characters: ${cut.join('; ')}.`,
    `> See the whole plan with ${codeSpan(`recallctl show ${ctx.planFile}`)}.`,
  ].join('\n')
}

const restartsHeading = ({byAction}: Context): string =>
  `### ⚠️ Restarts (${byAction.restart.length})\n\n` +
  `Applying this plan ${RESTART_NOTE} of these bots: the meeting's media is split at the restart. ` +
  'Apply refuses unless `allow_restart: true` is set in `recall.config.yaml` or `--allow-restart` is given.'

/** One group: a heading line, why, the field diff or the body, then its bots. */
function groupBlock(group: ChangeGroup, cuts: Cuts): string {
  const count = group.changes.length
  const profile = `profile **${escapeMarkdown(group.profile)}** · ${plural(count, 'bot')}`
  const lines: string[] = []
  if (group.action === 'start') lines.push(`#### ${EMOJI.start} ${profile} · body ${codeSpan(group.digest)}`)
  else {
    const was = group.drift ? 'recording not started by recallctl' : codeSpan(group.previousDigest ?? 'unknown')
    lines.push(`#### ${EMOJI.restart} ${profile} · ${was} → ${codeSpan(group.digest)}`)
  }
  const parts = [lines.join('\n'), `Why: ${escapeMarkdown(group.reason)}`]
  if (group.fieldDiff !== null) {
    const diff = group.fieldDiff.changes.flatMap((change) =>
      fieldChangeLines(change, 200).map(({sign, text}) => `${sign} ${text}`),
    )
    const hidden = unchangedLine(group.fieldDiff)
    if (hidden) diff.push(`# ${hidden}`)
    parts.push(codeBlock(diff.join('\n'), 'diff'))
    if (!cuts.diffBodies) parts.push(bodyDetails(group))
  } else {
    if (group.action === 'restart') {
      const fields =
        group.fieldsChanged.length > 0 ? ` Fields that differ: ${group.fieldsChanged.map((f) => codeSpan(f)).join(', ')}.` : ''
      parts.push(
        `The running recording's configuration is unknown (it was not started by recallctl, or its profile is gone).${fields}`,
      )
    }
    if (!cuts.bodies) parts.push(bodyDetails(group))
  }
  parts.push(groupBots(group, cuts))
  return parts.join('\n\n')
}

const bodyDetails = (group: ChangeGroup): string =>
  detailsBlock(`Desired body <code>${escapeHtml(group.digest)}</code>`, codeBlock(prettyJson(group.body), 'json'))

function groupBots(group: ChangeGroup, cuts: Cuts): string {
  const count = group.changes.length
  if (cuts.botLists) return `Bots: ${count} (listed in the plan file).`
  const ids = group.changes.map(
    (c) =>
      `${codeSpan(c.bot_id)}${group.drift && c.before.active_recording_id ? ` (recording ${codeSpan(c.before.active_recording_id)})` : ''}`,
  )
  if (count <= MAX_LISTED_GROUP_BOTS) return `Bots: ${ids.join(', ')}`
  return detailsBlock(`${plural(count, 'bot')}`, ids.join(', '))
}

/** What happens after the review, for every plan. */
function footer(ctx: Context): string {
  const {start, restart} = ctx.plan.summary
  const errors = countSeverity(ctx.plan, 'error')
  const lines = ['---', '**What happens next.**']
  if (errors > 0)
    lines.push(
      `Apply refuses this plan while ${plural(errors, 'error')} remain${errors === 1 ? 's' : ''}: fix ${errors === 1 ? 'it' : 'them'} and push again.`,
    )
  if (start + restart === 0) lines.push('Merging changes no recording: there is nothing to start or restart.')
  else {
    if (start > 0)
      lines.push(
        `After merge, apply makes the ${plural(start, 'start')}; each bot is read again first and skipped if its state moved.`,
      )
    if (restart > 0)
      lines.push(
        `The ${plural(restart, 'restart')} need${restart === 1 ? 's' : ''} the approved manual run (\`recallctl apply --allow-restart\`, started by a person after reading ⚠️ Restarts): ` +
          'an apply without it refuses a plan with restarts before any call, so the automatic apply makes the starts only with the restarting bots excluded (`--exclude`).',
      )
  }
  lines.push(`Whole plan: ${codeSpan(`recallctl show ${ctx.planFile}`)}.`)
  return lines.join('\n')
}

function diagnosticItems(diagnostics: readonly Diagnostic[]): string[] {
  return diagnosticsBySeverity(diagnostics).map((d) => {
    const label = d.severity === 'error' ? '❌ **error**' : '⚠️ **warning**'
    const where = formatLocation(d)
    const summary = diagnosticSummary(d.code)
    const lines = [
      `- ${label}${where === '' ? '' : ` ${codeSpan(where)}`}: ${summary ? `**${escapeMarkdown(summary)}.** ` : ''}${escapeMarkdown(d.message)}`,
    ]
    for (const r of d.related ?? []) {
      const at = formatLocation(r)
      lines.push(`  - ${at === '' ? '' : `${codeSpan(at)}: `}${escapeMarkdown(r.message)}`)
    }
    return lines.join('\n')
  })
}

const driftSection = (drift: readonly DriftEntry[]): string[] => [
  `### 〰️ Drift (${drift.length})\n\nRecordings not started by recallctl:`,
  drift.map((d) => `- ${codeSpan(d.bot_id)} recording ${codeSpan(d.recording_id)}: ${escapeMarkdown(d.reason)}`).join('\n'),
]

const botList = (changes: readonly PlannedChange[]): string =>
  changes
    .map(
      (c) =>
        `- ${codeSpan(c.bot_id)} · profile **${escapeMarkdown(c.profile)}**: ${escapeMarkdown(c.reason)}${c.adopted ? ' (adopted)' : ''}`,
    )
    .join('\n')

/** `summaryHtml` is already HTML-safe. A blank line after `<summary>` lets GitHub parse the markdown inside. */
const detailsBlock = (summaryHtml: string, markdown: string): string =>
  `<details><summary>${summaryHtml}</summary>\n\n${markdown}\n\n</details>`
