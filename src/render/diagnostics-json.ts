import {diagnosticSummary} from '../shared/diagnostic-codes.js'
import type {Diagnostic} from '../shared/diagnostics.js'
import {ordered} from './ordered-keys.js'

/**
 * A diagnostic as JSON (plan files, `validate --json`), keys in the documented order. `summary` is the
 * code's title from the registry and `message` the detail, as Terraform's Summary and Detail (pure).
 */
export const diagnosticJson = (d: Diagnostic): Record<string, unknown> =>
  ordered(
    {
      ...d,
      summary: diagnosticSummary(d.code),
      ...(d.related === undefined ? {} : {related: d.related.map((r) => ordered(r, ['file', 'line', 'column', 'message']))}),
    },
    ['severity', 'code', 'summary', 'message', 'file', 'line', 'column', 'range', 'snippet', 'address', 'path', 'related'],
  )
