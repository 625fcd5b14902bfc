import type {Diagnostic} from '../shared/diagnostics.js'
import {ACTIONS, type Action, type PlannedChange, type Plan, type Summary} from '../plan/types.js'

/** Terraform's symbols for the two changes and for drift; the other actions are listed, not marked. */
export const SYMBOL = {start: '+', restart: '-/+', drift: '~'} as const

/** The comment a restart always carries, in every format. */
export const RESTART_NOTE = 'restarts the running recording'

/** Headings of the per-action lists, shared by the human and markdown renderers. */
export const ACTION_HEADING: Record<Action, string> = {
  start: 'Start',
  restart: 'Restart',
  noop: 'Unchanged',
  pending: 'Pending: applied when the bot joins the call',
  completed: 'Completed: the bot has left the call',
  blocked: 'Blocked: recording permission denied',
  missing: 'Missing: not found in this workspace',
  unknown: 'Unknown status',
}

/** The order sections appear in: changes first, then what needs attention, then the quiet rest. */
export const LISTED_ACTIONS: readonly Action[] = ['pending', 'completed', 'blocked', 'missing', 'unknown', 'noop']

/** The fixed part of the sentence: always shown, as in `Plan: 0 to start, 0 to restart, 40 unchanged, ...`. */
const ALWAYS: ReadonlyArray<[Action, string]> = [
  ['start', 'to start'],
  ['restart', 'to restart'],
  ['noop', 'unchanged'],
  ['pending', 'pending'],
  ['completed', 'completed'],
]
/** Shown only when non-zero: they mean something is wrong. */
const WHEN_PRESENT: ReadonlyArray<[Action, string]> = [
  ['blocked', 'blocked'],
  ['missing', 'missing'],
  ['unknown', 'unknown'],
]

export const changeCount = (summary: Summary): number => summary.start + summary.restart

/** `12 to start, 2 to restart, 40 unchanged, 3 pending, 1 completed, 1 missing` */
export function countsPhrase(summary: Summary, {withChanges = true} = {}): string {
  const always = withChanges ? ALWAYS : ALWAYS.filter(([action]) => action !== 'start' && action !== 'restart')
  const parts = always.map(([action, words]) => `${summary[action]} ${words}`)
  for (const [action, words] of WHEN_PRESENT) if (summary[action] > 0) parts.push(`${summary[action]} ${words}`)
  return parts.join(', ')
}

/** True when every bot is recording as configured or will be once it joins. */
const allInLine = (summary: Summary): boolean => summary.blocked + summary.missing + summary.unknown === 0

/**
 * The closing sentence(s). With changes: `Plan: 12 to start, 2 to restart, 40 unchanged, 3 pending, 1 completed.`
 * Without: Terraform's "No changes." wording, then the counts on a second line.
 */
export function summaryLines(summary: Summary, errors = 0): string[] {
  if (changeCount(summary) > 0) return [`Plan: ${countsPhrase(summary)}.`]
  const headline =
    errors > 0
      ? `No plan could be made for every bot: ${plural(errors, 'error')} (see above).`
      : allInLine(summary)
        ? 'No changes. Your recordings match the configuration.'
        : 'No changes to make, but some bots are not recording as configured (see above).'
  return [headline, `${countsPhrase(summary, {withChanges: false})}.`]
}

/** Changes by action, each list in plan order. */
export function groupByAction(changes: readonly PlannedChange[]): Record<Action, PlannedChange[]> {
  const groups = Object.fromEntries(ACTIONS.map((a) => [a, [] as PlannedChange[]])) as Record<Action, PlannedChange[]>
  for (const change of changes) groups[change.action]?.push(change)
  return groups
}

export const adoptedCount = (changes: readonly PlannedChange[]): number =>
  changes.filter((c) => c.action === 'noop' && c.adopted).length

/** Errors first, then warnings, each in the order the plan gives them. */
export const diagnosticsBySeverity = (diagnostics: readonly Diagnostic[]): Diagnostic[] => [
  ...diagnostics.filter((d) => d.severity === 'error'),
  ...diagnostics.filter((d) => d.severity !== 'error'),
]

export const countSeverity = (plan: Plan, severity: Diagnostic['severity']): number =>
  plan.diagnostics.filter((d) => d.severity === severity).length

/** `1 bot`, `2 bots` */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`
