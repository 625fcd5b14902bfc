import {diagnosticJson} from './diagnostics-json.js'
import {ordered} from './ordered-keys.js'
import {ACTIONS, type DriftEntry, type Plan, type PlannedChange} from '../plan/types.js'

const changeJson = (c: PlannedChange): Record<string, unknown> =>
  ordered(
    {
      ...c,
      // The previous body, when known, sits beside its digest (`active_digest`), as `after.body` beside `after.digest`.
      before: ordered(c.previous_body == null ? c.before : {...c.before, body: c.previous_body}, [
        'status',
        'newest_recording_id',
        'active_recording_id',
        'active_digest',
        'active_profile',
        'body',
      ]),
      after: ordered(c.after, ['digest', 'body']),
    },
    [
      'bot_id',
      'profile',
      'assignment',
      'action',
      'reason',
      'adopted',
      'before',
      'after',
      'fields_changed',
      'field_diff',
      'previous_body',
    ],
  )

const driftJson = (d: DriftEntry): Record<string, unknown> => ordered(d, ['bot_id', 'recording_id', 'reason'])

/** The JSON plan document: 2-space indented, keys in the documented order, a trailing newline. */
export function renderJson(plan: Plan): string {
  const document = ordered(
    {
      ...plan,
      workspace: ordered(plan.workspace, ['base_url']),
      summary: ordered(plan.summary, ACTIONS),
      changes: plan.changes.map(changeJson),
      drift: plan.drift.map(driftJson),
      diagnostics: plan.diagnostics.map(diagnosticJson),
    },
    ['format_version', 'tool_version', 'created_at', 'plan_digest', 'workspace', 'summary', 'changes', 'drift', 'diagnostics'],
  )
  return `${JSON.stringify(document, null, 2)}\n`
}
