import type {z} from 'zod'
import {startRecordingBodySchema, type CompleteStartRecordingBody} from '../recall/body-schema.js'
import {checkCrossFieldRules} from '../recall/cross-field-rules.js'
import {formatLocation, type Diagnostic, type SourceLocation} from '../shared/diagnostics.js'
import {formatPath, type Path} from '../validate/describe.js'
import {issuesToDiagnostics} from '../validate/zod-diagnostics.js'
import type {FieldOrigins} from './origins.js'

/**
 * Checks a merged, complete body: required keys (a profile may leave them to its parent) and the
 * rules between fields. Each problem points at the line that set the value, and names the lines
 * that set the values it conflicts with.
 */
export function checkMergedBody(
  body: CompleteStartRecordingBody,
  origins: FieldOrigins,
  subject: string,
  fallback: SourceLocation,
): Diagnostic[] {
  const locateField = (path: Path): SourceLocation => origins.of(path) ?? fallback
  const diagnostics: Diagnostic[] = []
  const parsed = startRecordingBodySchema.safeParse(body, {reportInput: true})
  if (!parsed.success)
    diagnostics.push(
      ...issuesToDiagnostics(parsed.error.issues, {
        locate: locateField,
        schema: startRecordingBodySchema as z.ZodType,
        value: body,
        subject,
      }),
    )
  // Issues left out above (values holding `${env:}`) do not stop the rules between fields.
  if (diagnostics.length > 0) return diagnostics

  for (const violation of checkCrossFieldRules(body)) {
    const [primary = [], ...others] = violation.paths
    const setAt = others.map((path) => {
      const origin = origins.of(path)
      return `${formatPath(path)} ${origin ? `set at ${formatLocation(origin)}` : 'is the endpoint default'}`
    })
    diagnostics.push({
      severity: violation.severity,
      code: violation.code,
      message: `${subject}: ${sentence(violation.message)}${setAt.length ? ` ${sentence(setAt.join('; '))}` : ''}`,
      ...locateField(primary),
      path: primary,
      related: others.flatMap((path) => {
        const origin = origins.of(path)
        return origin ? [{...origin, message: `${formatPath(path)} set here`}] : []
      }),
    })
  }
  if (origins.of(['retention']) === undefined)
    diagnostics.push({
      severity: 'warning',
      code: 'retention_unset',
      message: `${subject} leaves retention unset, so the endpoint's default applies (timed, 168 hours), which may be shorter than your workspace's plan. Say what you mean: retention: {type: timed, hours: N} or {type: forever}.`,
      ...fallback,
    })
  return diagnostics
}

const sentence = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`)
