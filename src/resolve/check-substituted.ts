import type {z} from 'zod'
import {startRecordingBodySchema, type CompleteStartRecordingBody} from '../recall/body-schema.js'
import {checkCrossFieldRules, type RuleViolation} from '../recall/cross-field-rules.js'
import {isDiagnosticCode, type DiagnosticCode} from '../shared/diagnostic-codes.js'
import type {Diagnostic, SourceLocation} from '../shared/diagnostics.js'
import {collectEnvRefs, substituteEnv} from '../shared/env-refs.js'
import {MIN_SCRUBBED_LENGTH, REDACTED, scrubSecrets} from '../shared/redact.js'
import {formatPath, type Path} from '../validate/describe.js'
import {issuesToDiagnostics} from '../validate/zod-diagnostics.js'

/** The registry's `env_` twin of a code (every schema and rule code has one; `env_invalid` is the fallback). */
const substitutedCode = (code: DiagnosticCode): DiagnosticCode => {
  const twin = `env_${code}`
  return isDiagnosticCode(twin) ? twin : 'env_invalid'
}

export type EnvValues = Readonly<Record<string, string | undefined>>

/**
 * A complete body checked again with its `${env:}` references substituted, that is as it will be sent:
 * the full schema, then the rules between fields. A reference stands only in free text, so this
 * catches a substituted URL that is not a URL, a text over its length, or an endpoint on localhost.
 * Each problem points at the line of the value as written and quotes it as written: the substituted
 * value is never shown. Nothing is checked while a variable is unset or empty (already an error).
 */
export function checkSubstitutedBody(
  body: CompleteStartRecordingBody,
  env: EnvValues,
  locateField: (path: Path) => SourceLocation,
  subject: string,
): Diagnostic[] {
  const names = [...collectEnvRefs(body)]
  if (names.length === 0 || names.some((name) => !env[name])) return []
  const substituted = substituteEnv(body, env)
  const refs = names.map((name) => `\${env:${name}}`).join(', ')
  const after = ` (found once ${refs} ${names.length === 1 ? 'is' : 'are'} substituted; the value is not shown)`
  const parsed = startRecordingBodySchema.safeParse(substituted)
  if (!parsed.success)
    return issuesToDiagnostics(parsed.error.issues, {
      locate: locateField,
      schema: startRecordingBodySchema as z.ZodType,
      value: body,
      subject,
      afterSubstitution: true,
    }).map((d) => ({...d, code: substitutedCode(d.code), message: withNote(d.message, after)}))
  // Only what the substitution broke: the body as written already passed the rules.
  const before = new Set(checkCrossFieldRules(body).map(ruleKey))
  const values = names.map((name) => ({name, value: env[name] as string}))
  return checkCrossFieldRules(parsed.data)
    .filter((violation) => !before.has(ruleKey(violation)))
    .map((violation) => {
      const primary = violation.paths[0] ?? []
      return {
        severity: violation.severity,
        code: substitutedCode(violation.code),
        message: withNote(`${subject}: ${hideValues(violation.message, values, primary)}`, after),
        ...locateField(primary),
        path: primary,
      }
    })
}

const ruleKey = (violation: RuleViolation): string => `${violation.code}|${JSON.stringify(violation.paths)}`

const withNote = (message: string, note: string): string =>
  message.endsWith('.') ? `${message.slice(0, -1)}${note}.` : `${message}${note}.`

/**
 * A rule's message may quote what it saw (a URL's host): each substituted value is written back as its
 * reference. A value too short to find safely in a sentence gives a message that quotes nothing.
 */
function hideValues(
  message: string,
  values: ReadonlyArray<{name: string; value: string}>,
  primary: readonly (string | number)[],
): string {
  if (values.some(({value}) => value.length < MIN_SCRUBBED_LENGTH))
    return `${formatPath(primary)} breaks a rule between fields once substituted (${REDACTED} values)`
  let out = message
  for (const {name, value} of [...values].sort((a, b) => b.value.length - a.value.length))
    out = out.split(value).join(`\${env:${name}}`)
  return scrubSecrets(
    out,
    values.map(({value}) => value),
  )
}
