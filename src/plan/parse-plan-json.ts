import {fieldDiff} from '../diff/field-diff.js'
import {planSchema} from './plan-schema.js'
import type {Plan, PlannedChange} from './types.js'

/** The plan file format this recallctl writes and reads. */
export const PLAN_FORMAT_VERSION = 1

const MAX_LISTED_ISSUES = 5

/** A plan nests a body a few levels deep; a file much deeper is not a plan (and would overflow a renderer's stack). */
const MAX_PLAN_DEPTH = 64

/** Whether any value nests deeper than `limit` (iterative: the input may be hostile). */
function deeperThan(root: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[root, 0]]
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!
    if (value === null || typeof value !== 'object') continue
    if (depth >= limit) return true
    for (const child of Object.values(value)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1])
  }
  return false
}

/** `changes[3].after.digest` */
const issuePath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : `${out}${out === '' ? '' : '.'}${String(key)}`),
    '',
  )

const typeName = (value: unknown): string =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'an array'
      : typeof value === 'object'
        ? 'an object'
        : `${typeof value} ${JSON.stringify(value)}`

/**
 * Reads a saved plan file (`plan --out`). Extra fields are accepted (a later recallctl may add some);
 * a newer format_version is refused with the version this recallctl reads.
 */
export function parsePlanJson(text: string): {plan: Plan} | {error: string} {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    return {error: `The plan file is not JSON (${(error as Error).message}). Write one with \`recallctl plan --out FILE\`.`}
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    return {error: `The plan file holds ${typeName(data)}, not a recallctl plan. Write one with \`recallctl plan --out FILE\`.`}

  if (deeperThan(data, MAX_PLAN_DEPTH))
    return {
      error: `The plan file nests values deeper than ${MAX_PLAN_DEPTH} levels, which no recallctl plan does. Make it again with \`recallctl plan --out FILE\`.`,
    }

  const version = (data as Record<string, unknown>).format_version
  if (version === undefined)
    return {
      error: `The plan file has no format_version, so it is not a recallctl plan. This recallctl reads format_version ${PLAN_FORMAT_VERSION}.`,
    }
  if (typeof version === 'number' && Number.isInteger(version) && version > PLAN_FORMAT_VERSION)
    return {
      error: `The plan file has format_version ${version}, made by a newer recallctl; this recallctl reads format_version ${PLAN_FORMAT_VERSION}. Upgrade recallctl, or make the plan again with this version.`,
    }
  if (version !== PLAN_FORMAT_VERSION)
    return {
      error: `The plan file has format_version ${JSON.stringify(version)}; this recallctl reads format_version ${PLAN_FORMAT_VERSION}.`,
    }

  const result = planSchema.safeParse(data)
  if (!result.success) {
    const issues = result.error.issues
    // One sentence however broken the file is: the first few problems, then how many more.
    const listed = issues
      .slice(0, MAX_LISTED_ISSUES)
      .map((issue) => `${issuePath(issue.path) || '(top level)'}: ${issue.message.replace(/\.$/, '')}`)
    const more = issues.length > MAX_LISTED_ISSUES ? ` (and ${issues.length - MAX_LISTED_ISSUES} more problems)` : ''
    return {
      error: `The plan file is not a valid format_version ${PLAN_FORMAT_VERSION} plan: ${listed.join('; ')}${more}. Make it again with \`recallctl plan --out FILE\`.`,
    }
  }
  return {plan: withFieldDiffs(result.data)}
}

/** A plan written before field diffs existed still shows one: the same diff diff makes, over its redacted bodies. */
function withFieldDiffs(plan: Plan): Plan {
  const missing = (c: PlannedChange) => c.field_diff === undefined && c.previous_body != null && c.action === 'restart'
  if (!plan.changes.some(missing)) return plan
  const changes = plan.changes.map((c) =>
    missing(c) && c.previous_body != null
      ? {...c, field_diff: fieldDiff(c.previous_body, c.after.body, c.previous_body, c.after.body)}
      : c,
  )
  return {...plan, changes}
}
