import type {z} from 'zod'
import {dedupeDiagnostics, type Diagnostic, type SourceLocation} from '../shared/diagnostics.js'
import type {DiagnosticCode} from '../shared/diagnostic-codes.js'
import {locate, type SourceDocument} from '../load/source-document.js'
import {hasEnvRefSyntax} from '../shared/env-refs.js'
import {describeValue, didYouMean, formatPath, kindOf, listChoices, quoteName, quoteText, valueAt, type Path} from './describe.js'
import {allowedKeysAt} from './zod-introspect.js'

/** What was checked, and how to find the line of any path inside it. */
export interface CheckedValue {
  /** The position of `path` (inside the checked value); with `key`, of the map key itself. */
  locate: (path: Path, key?: boolean) => SourceLocation
  schema: z.ZodType
  value: unknown
  /** Prefix naming the thing checked, e.g. `profile "sales-call"`. */
  subject?: string
  /** Skip "missing required key" issues: a profile may leave keys to its parent. */
  ignoreMissing?: boolean
  /**
   * The issues came from checking `value` with its `${env:}` references substituted. `value` itself is
   * the body as written: messages quote it (the reference, never the secret it stands for).
   */
  afterSubstitution?: boolean
}

type Issue = z.core.$ZodIssue

/** Turns zod issues into diagnostics with positions, the value found, and what to write instead. */
export function issuesToDiagnostics(issues: readonly Issue[], checked: CheckedValue): Diagnostic[] {
  const out: Diagnostic[] = []
  for (const issue of issues) out.push(...issueToDiagnostics(issue, [], checked))
  return dedupeDiagnostics(out)
}

function issueToDiagnostics(issue: Issue, prefix: Path, checked: CheckedValue): Diagnostic[] {
  const path: Path = [...prefix, ...(issue.path as PropertyKey[]).map((s) => (typeof s === 'symbol' ? String(s) : s))]
  const found = valueAt(checked.value, path)
  const say = (p: Path, message: string, code: DiagnosticCode, key = false): Diagnostic => ({
    severity: 'error',
    code,
    message: `${checked.subject ? `${checked.subject}: ` : ''}${message}`,
    path: p,
    ...checked.locate(p, key),
  })
  const name = quoteName(formatPath(path))
  // A value holding `${env:NAME}` is only known when planning: it is checked then, once substituted
  // (resolve/check-substituted.ts). Where a reference is not allowed at all, env-vars.ts says so.
  if (!checked.afterSubstitution && typeof found === 'string' && hasEnvRefSyntax(found)) return []
  const missingKey = (keyPath: Path, what: string): Diagnostic => {
    const parent = keyPath.slice(0, -1)
    const whole = parent.length ? formatPath(parent) : checked.subject ? 'this' : 'the file'
    // Shown at the map that lacks the key; about the key's own path (two missing keys are two problems).
    return {
      ...say(parent, `${whole} is missing the required key "${String(keyPath[keyPath.length - 1])}" (${what}).`, 'missing_key'),
      path: keyPath,
    }
  }

  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeysAt(checked.schema, path, checked.value)
      return issue.keys.map((key) => {
        const guess = didYouMean(key, allowed)
        const where = name ? ` in ${name}` : ''
        const fix = guess
          ? `Did you mean "${guess}"?`
          : allowed.length > 0
            ? `Allowed keys: ${listChoices(allowed)}.`
            : 'Remove it.'
        return say([...path, key], `unknown key "${quoteName(key)}"${where}. ${fix}`, 'unknown_key', true)
      })
    }
    case 'invalid_value': {
      const choices = issue.values.map((v) => String(v))
      // A required literal or enum key that is absent (e.g. `version`): say it is missing.
      if (found === undefined && path.length > 0) {
        if (checked.ignoreMissing) return []
        return [
          missingKey(
            path,
            choices.length === 1 ? `write ${String(path[path.length - 1])}: ${choices[0]}` : `one of ${listChoices(choices)}`,
          ),
        ]
      }
      const guess = typeof found === 'string' ? didYouMean(found, choices) : undefined
      const fix = guess ? `Did you mean "${guess}"? ` : ''
      const message =
        choices.length === 1
          ? `${name} must be ${JSON.stringify(issue.values[0])}, found ${describeValue(found, path)}.`
          : `${name}: ${describeValue(found, path)} is not allowed. ${fix}Write one of: ${listChoices(choices)}.`
      return [say(path, message, 'bad_enum')]
    }
    case 'invalid_union': {
      if ('discriminator' in issue && typeof issue.discriminator === 'string') {
        const options = ((issue as {options?: unknown[]}).options ?? []).map(String)
        // zod puts the discriminator key at the end of the path.
        const objectPath = path[path.length - 1] === issue.discriminator ? path.slice(0, -1) : path
        const key = issue.discriminator
        const value = valueAt(checked.value, [...objectPath, key])
        if (!checked.afterSubstitution && typeof value === 'string' && hasEnvRefSyntax(value)) return []
        const objectName = quoteName(formatPath(objectPath))
        if (value === undefined)
          return [say(objectPath, `${objectName} needs "${key}": one of ${listChoices(options)}.`, 'missing_key')]
        const guess = typeof value === 'string' ? didYouMean(value, options) : undefined
        return [
          say(
            [...objectPath, key],
            `${quoteName(formatPath([...objectPath, key]))}: ${describeValue(value, [...objectPath, key])} is not allowed. ${guess ? `Did you mean "${guess}"? ` : ''}Write one of: ${listChoices(options)}.`,
            'bad_enum',
          ),
        ]
      }
      // Plain union: report the branch that came closest (fewest issues).
      const branches = issue.errors.filter((errors) => errors.length > 0)
      const best = branches.sort((a, b) => a.length - b.length)[0]
      if (!best) return [say(path, `${name}: ${describeValue(found, path)} is not valid here.`, 'invalid')]
      return best.flatMap((inner) => issueToDiagnostics(inner, path, checked))
    }
    case 'invalid_type': {
      if (found === undefined) {
        if (checked.ignoreMissing) return []
        return [missingKey(path, expectedWords(issue.expected))]
      }
      return [
        say(
          path,
          `${name}: expected ${expectedWords(issue.expected)}, found ${describeValue(found, path)} (${kindOf(found)}).${typeHint(issue.expected, found, path)}`,
          'wrong_type',
        ),
      ]
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small'
      const bound = String(small ? issue.minimum : issue.maximum)
      if (issue.origin === 'array' && small && bound === '1')
        return [say(path, `${name} is an empty list: list at least one item, or remove the key.`, 'out_of_range')]
      const word = issue.inclusive === false ? (small ? 'more than' : 'less than') : small ? 'at least' : 'at most'
      const unit = issue.origin === 'array' ? ' item(s)' : issue.origin === 'string' ? ' character(s)' : ''
      return [
        say(path, `${name}: ${describeValue(found, path)} is out of range: it must be ${word} ${bound}${unit}.`, 'out_of_range'),
      ]
    }
    case 'invalid_format':
      return [
        say(
          path,
          `${name}: ${describeValue(found, path)} ${issue.format === 'regex' ? issue.message : `is not a valid ${issue.format}`}.`,
          'bad_format',
        ),
      ]
    default:
      return [say(path, `${name ? `${name}: ` : ''}${issue.message}.`, 'invalid')]
  }
}

function expectedWords(expected: string): string {
  switch (expected) {
    case 'string':
      return 'text'
    case 'number':
      return 'a number'
    case 'int':
      return 'a whole number'
    case 'boolean':
      return 'true or false'
    case 'object':
      return 'a map'
    case 'array':
      return 'a list'
    case 'record':
      return 'a map'
    default:
      return expected
  }
}

function typeHint(expected: string, found: unknown, path: Path): string {
  if (expected === 'string' && (typeof found === 'number' || typeof found === 'boolean'))
    return ` Quote it: "${quoteText(found, path)}".`
  if ((expected === 'number' || expected === 'int') && typeof found === 'string' && /^\d+$/.test(found.trim()))
    return ` Remove the quotes: ${quoteText(found.trim(), path)}.`
  if (expected === 'array' && found !== null && typeof found !== 'object')
    return ` Write a list, e.g. [${describeValue(found, path)}].`
  return ''
}

/** Locates paths of a value that sits at `basePath` in `source`. */
export const locateIn =
  (source: SourceDocument, basePath: Path) =>
  (path: Path, key = false): SourceLocation =>
    locate(source, [...basePath, ...path], {key})
