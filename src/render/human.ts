import {renderDiagnostic} from './diagnostics-text.js'
import {identity, palette, safe, type Paint, type Palette} from './terminal-text.js'
import type {DriftEntry, Plan, PlannedChange} from '../plan/types.js'
import {compactJson, compareBodies, fieldDiffLines, prettyJson, type DiffLine, type FieldChange} from './body-diff.js'
import {
  ACTION_HEADING,
  LISTED_ACTIONS,
  RESTART_NOTE,
  SYMBOL,
  adoptedCount,
  bodiesByDigest,
  diagnosticsBySeverity,
  groupByAction,
  plural,
  countSeverity,
  summaryLines,
} from './summary.js'

export interface HumanOptions {
  /** ANSI colours. The caller decides (TTY, NO_COLOR, --no-color, CI); this module never looks. */
  color: boolean
  /** Terminal width: a field change is shown on one line (`~ f = old -> new`) when it fits. Default 80. */
  width?: number
  /** Unchanged bots are listed one by one up to this many, otherwise only counted. Default 10. */
  maxListedUnchanged?: number
}

const botLabel = (c: PlannedChange): string => `bot ${safe(c.bot_id)} (profile ${safe(c.profile)})`

/** Renders a plan for a terminal, in the manner of `terraform plan`. Pure: returns the text. */
export function renderHuman(plan: Plan, options: HumanOptions): string {
  const p = palette(options.color)
  const width = options.width ?? 80
  const maxUnchanged = options.maxListedUnchanged ?? 10
  const groups = groupByAction(plan.changes)
  const out: string[] = []

  out.push(p.bold(`recallctl plan for ${safe(plan.workspace.base_url)}`))
  out.push(p.dim(`Plan ${safe(plan.plan_digest)}, made ${safe(plan.created_at)} by recallctl ${safe(plan.tool_version)}.`))

  if (plan.diagnostics.length > 0) {
    out.push('')
    for (const d of diagnosticsBySeverity(plan.diagnostics)) out.push(renderDiagnostic(d, options))
  }

  if (groups.start.length + groups.restart.length > 0) {
    out.push('', 'recallctl will perform the following actions:')
    for (const c of groups.start) out.push('', ...startBlock(c, p))
    for (const c of groups.restart) out.push('', ...restartBlock(c, p, width))
    if (groups.start.length > 0) out.push('', ...startBodies(groups.start, p))
  }

  if (plan.drift.length > 0) {
    out.push('', p.bold(`Drift: recordings not started by recallctl (${plan.drift.length}):`))
    for (const d of plan.drift) out.push(driftLine(d, p))
  }

  for (const action of LISTED_ACTIONS) {
    const changes = groups[action]
    if (changes.length === 0) continue
    if (action === 'noop' && changes.length > maxUnchanged) {
      const adopted = adoptedCount(changes)
      out.push('', p.bold(`${ACTION_HEADING.noop}: ${plural(changes.length, 'bot')}${adopted > 0 ? `, ${adopted} adopted` : ''}.`))
      continue
    }
    const heading = `${ACTION_HEADING[action]} (${changes.length}):`
    out.push('', action === 'missing' || action === 'blocked' ? p.red(p.bold(heading)) : p.bold(heading))
    for (const c of changes) out.push(`  ${botLabel(c)}: ${safe(c.reason)}${c.adopted ? ' (adopted)' : ''}`)
  }

  out.push('', ...summaryLines(plan.summary, countSeverity(plan, 'error')).map((line) => p.bold(line)))
  return `${out.join('\n')}\n`
}


function startBlock(c: PlannedChange, p: Palette): string[] {
  return [
    p.dim(`  # bot ${safe(c.bot_id)} will start recording: ${safe(c.reason)}`),
    `  ${p.green(SYMBOL.start)} ${p.bold(botLabel(c))}`,
    `      assignment = ${safe(c.assignment)}`,
    `      body       = ${safe(c.after.digest)}`,
  ]
}

function restartBlock(c: PlannedChange, p: Palette, width: number): string[] {
  const lines = [
    p.dim(`  # bot ${safe(c.bot_id)} will restart its recording: ${safe(c.reason)}`),
    `  ${p.yellow(SYMBOL.restart)} ${p.bold(botLabel(c))}  ${p.yellow(`# ${RESTART_NOTE}`)}`,
    `      assignment = ${safe(c.assignment)}`,
    `      body       = ${safe(c.before.active_digest ?? 'unknown')} -> ${safe(c.after.digest)}`,
  ]
  if (c.previous_body == null) {
    lines.push(p.yellow('      # the running recording\'s configuration is unknown (not started by recallctl, or its profile is gone)'))
    if (c.fields_changed.length > 0) lines.push(`      # fields changed: ${c.fields_changed.map(safe).join(', ')}`)
    lines.push('      # desired body:')
    for (const text of prettyJson(c.after.body).split('\n')) lines.push(`        ${safe(text)}`)
    return lines
  }
  const {changes, unchanged} = compareBodies(c.previous_body, c.after.body)
  for (const change of changes) lines.push(...fieldChangeLines(change, p, width))
  // The diff stage may name a field the redacted bodies can't show (e.g. only a secret changed).
  for (const field of c.fields_changed)
    if (!changes.some((ch) => ch.field === field)) lines.push(p.yellow(`      ~ ${safe(field)}`) + p.dim(' # differs in redacted values'))
  if (unchanged > 0) lines.push(p.dim(`      # (${plural(unchanged, 'unchanged field')} hidden)`))
  return lines
}

const signPaint = (sign: DiffLine['sign'], p: Palette): Paint => (sign === '+' ? p.green : sign === '-' ? p.red : identity)

function fieldChangeLines(change: FieldChange, p: Palette, width: number): string[] {
  const symbol = change.kind === 'added' ? '+' : change.kind === 'removed' ? '-' : '~'
  const paint = change.kind === 'added' ? p.green : change.kind === 'removed' ? p.red : p.yellow
  const before = change.before === undefined ? undefined : safe(compactJson(change.before))
  const after = change.after === undefined ? undefined : safe(compactJson(change.after))
  const value = before !== undefined && after !== undefined ? `${before} -> ${after}` : (after ?? before ?? '')
  const oneLine = `      ${paint(symbol)} ${safe(change.field)} = ${value}`
  const plainLength = 6 + symbol.length + 1 + change.field.length + 3 + value.length
  if (plainLength <= width) return [oneLine]
  const lines = [`      ${paint(symbol)} ${safe(change.field)}:`]
  for (const {sign, text} of fieldDiffLines(change, false))
    lines.push(signPaint(sign, p)(`        ${sign} ${safe(text)}`))
  return lines
}

function startBodies(starts: readonly PlannedChange[], p: Palette): string[] {
  const lines: string[] = []
  for (const group of bodiesByDigest(starts)) {
    if (lines.length > 0) lines.push('')
    const profiles = group.profiles.map(safe).join(', ')
    lines.push(p.bold(`Body ${safe(group.digest)} (profile ${profiles}), sent to ${plural(group.bots.length, 'bot')}:`))
    for (const text of prettyJson(group.body).split('\n')) lines.push(p.green(`  ${safe(text)}`))
  }
  return lines
}

const driftLine = (d: DriftEntry, p: Palette): string =>
  `  ${p.yellow(SYMBOL.drift)} bot ${safe(d.bot_id)} recording ${safe(d.recording_id)}: ${safe(d.reason)}`
