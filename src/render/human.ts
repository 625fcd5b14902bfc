import {renderDiagnostic} from './diagnostics-text.js'
import {identity, palette, safe, type Paint, type Palette} from './terminal-text.js'
import type {DriftEntry, Plan, PlannedChange} from '../plan/types.js'
import {fieldChangeLines, prettyJson, unchangedLine, type DiffLine} from './body-diff.js'
import {changeGroups, driftNotInGroups, MAX_LISTED_GROUP_BOTS, type ChangeGroup} from './change-groups.js'
import {
  ACTION_HEADING,
  LISTED_ACTIONS,
  RESTART_NOTE,
  SYMBOL,
  adoptedCount,
  diagnosticsBySeverity,
  groupByAction,
  plural,
  countSeverity,
  summaryLines,
} from './summary.js'

export interface HumanOptions {
  /** ANSI colours. The caller decides (TTY, NO_COLOR, --no-color, CI); this module never looks. */
  color: boolean
  /** Terminal width: a field change is shown on one line (`~ f: old → new`) when it fits. Default 80. */
  width?: number
  /** Unchanged bots are listed one by one up to this many, otherwise only counted. Default 10. */
  maxListedUnchanged?: number
  /** Bots of one group listed by id before the rest are counted. Default 20. */
  maxListedGroupBots?: number
}

const botLabel = (c: PlannedChange): string => `bot ${safe(c.bot_id)} (profile ${safe(c.profile)})`

/**
 * Renders a plan for a terminal, in the manner of `terraform plan`. Pure: returns the text. Changes are
 * grouped by (action, profile, previous digest → desired digest): each group's field diff or body is
 * shown once, then its bots.
 */
export function renderHuman(plan: Plan, options: HumanOptions): string {
  const p = palette(options.color)
  const width = options.width ?? 80
  const maxUnchanged = options.maxListedUnchanged ?? 10
  const maxBots = options.maxListedGroupBots ?? MAX_LISTED_GROUP_BOTS
  const byAction = groupByAction(plan.changes)
  const groups = changeGroups(plan)
  const out: string[] = []

  out.push(p.bold(`recallctl plan for ${safe(plan.workspace.base_url)}`))
  out.push(p.dim(`Plan ${safe(plan.plan_digest)}, made ${safe(plan.created_at)} by recallctl ${safe(plan.tool_version)}.`))

  if (plan.diagnostics.length > 0) {
    out.push('')
    for (const d of diagnosticsBySeverity(plan.diagnostics)) out.push(renderDiagnostic(d, options))
  }

  if (groups.length > 0) {
    out.push('', 'recallctl will perform the following actions:')
    for (const group of groups) out.push('', ...groupBlock(group, p, width, maxBots))
  }

  const drift = driftNotInGroups(plan, groups)
  if (drift.length > 0) {
    out.push('', p.bold(`Drift: recordings not started by recallctl (${drift.length}):`))
    for (const d of drift) out.push(driftLine(d, p))
  }

  for (const action of LISTED_ACTIONS) {
    const changes = byAction[action]
    if (changes.length === 0) continue
    if (action === 'noop' && changes.length > maxUnchanged) {
      const adopted = adoptedCount(changes)
      out.push(
        '',
        p.bold(`${ACTION_HEADING.noop}: ${plural(changes.length, 'bot')}${adopted > 0 ? `, ${adopted} adopted` : ''}.`),
      )
      continue
    }
    const heading = `${ACTION_HEADING[action]} (${changes.length}):`
    out.push('', action === 'missing' || action === 'blocked' ? p.red(p.bold(heading)) : p.bold(heading))
    for (const c of changes) out.push(`  ${botLabel(c)}: ${safe(c.reason)}${c.adopted ? ' (adopted)' : ''}`)
  }

  out.push('', ...summaryLines(plan.summary, countSeverity(plan, 'error')).map((line) => p.bold(line)))
  return `${out.join('\n')}\n`
}

function groupBlock(group: ChangeGroup, p: Palette, width: number, maxBots: number): string[] {
  const count = group.changes.length
  const bots = plural(count, 'bot')
  const lines: string[] = []
  if (group.action === 'start') {
    lines.push(p.dim(`  # ${bots} will start recording: ${safe(group.reason)}`))
    lines.push(`  ${p.green(SYMBOL.start)} ${p.bold(`profile ${safe(group.profile)}`)} (${bots})`)
    lines.push(`      body = ${safe(group.digest)}`)
    for (const text of prettyJson(group.body).split('\n')) lines.push(p.green(`        ${safe(text)}`))
  } else {
    const was = group.drift ? 'not started by recallctl' : safe(group.previousDigest ?? 'unknown')
    lines.push(p.dim(`  # ${bots} will restart ${count === 1 ? 'its recording' : 'their recordings'}: ${safe(group.reason)}`))
    lines.push(
      `  ${p.yellow(SYMBOL.restart)} ${p.bold(`profile ${safe(group.profile)}`)} (${bots})  ${p.yellow(`# ${RESTART_NOTE}`)}`,
    )
    lines.push(`      body = ${was} -> ${safe(group.digest)}`)
    if (group.fieldDiff === null) {
      lines.push(
        p.yellow("      # the running recording's configuration is unknown (not started by recallctl, or its profile is gone)"),
      )
      if (group.fieldsChanged.length > 0) lines.push(`      # fields changed: ${group.fieldsChanged.map(safe).join(', ')}`)
      lines.push('      # desired body:')
      for (const text of prettyJson(group.body).split('\n')) lines.push(`        ${safe(text)}`)
    } else {
      for (const change of group.fieldDiff.changes)
        for (const {sign, text} of fieldChangeLines(change, width - 6))
          lines.push(`      ${signPaint(sign, p)(`${sign} ${safe(text)}`)}`)
      const hidden = unchangedLine(group.fieldDiff)
      if (hidden) lines.push(p.dim(`      # (${hidden})`))
    }
  }
  lines.push(`      bots:`)
  for (const c of group.changes.slice(0, maxBots)) lines.push(`        ${safe(c.bot_id)}${groupBotNote(group, c)}`)
  if (count > maxBots) lines.push(p.dim(`        …and ${count - maxBots} more (\`--format json\` lists every bot)`))
  return lines
}

const groupBotNote = (group: ChangeGroup, c: PlannedChange): string =>
  group.drift && c.before.active_recording_id ? ` (recording ${safe(c.before.active_recording_id)})` : ''

const signPaint = (sign: DiffLine['sign'], p: Palette): Paint =>
  sign === '+' ? p.green : sign === '-' ? p.red : sign === '~' ? p.yellow : identity

const driftLine = (d: DriftEntry, p: Palette): string =>
  `  ${p.yellow(SYMBOL.drift)} bot ${safe(d.bot_id)} recording ${safe(d.recording_id)}: ${safe(d.reason)}`
