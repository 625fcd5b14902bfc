import type {z} from 'zod'
import {checkCrossFieldRules} from '../recall/cross-field-rules.js'
import {startRecordingBodySchema, type StartRecordingBody} from '../recall/body-schema.js'
import {addDrfError, type DrfErrorTree} from './drf-errors.js'

export type BodyCheck = {ok: true; body: StartRecordingBody} | {ok: false; errors: DrfErrorTree}

/**
 * Checks a start_recording body (or a create-time `recording_config`) with the product's own schema
 * and rules between fields. Rules of severity `warning` (guesses in NOTES.md) are enforced only when
 * asked.
 */
export function checkRecordingBody(value: unknown, enforceWarnings: boolean): BodyCheck {
  const parsed = startRecordingBodySchema.safeParse(value)
  if (!parsed.success) return {ok: false, errors: zodIssuesToDrf(parsed.error.issues)}
  const errors: DrfErrorTree = {}
  let failed = false
  for (const violation of checkCrossFieldRules(parsed.data)) {
    if (violation.severity === 'warning' && !enforceWarnings) continue
    addDrfError(errors, violation.paths[0] ?? [], violation.message)
    failed = true
  }
  return failed ? {ok: false, errors} : {ok: true, body: parsed.data}
}

export function zodIssuesToDrf(issues: readonly z.core.$ZodIssue[], prefix: ReadonlyArray<PropertyKey> = []): DrfErrorTree {
  const errors: DrfErrorTree = {}
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        addDrfError(errors, [...prefix, ...issue.path, key], `Unknown field: ${key} is not a field of this object.`)
    } else if (issue.code === 'invalid_type' && issue.input === undefined) {
      addDrfError(errors, [...prefix, ...issue.path], 'This field is required.')
    } else {
      addDrfError(errors, [...prefix, ...issue.path], issue.message)
    }
  }
  return errors
}
