import {BODY_FIELDS} from '../../recall/body-schema.js'
import type {ResolvedAssignment, ResolvedProfile} from '../../resolve/types.js'
import type {SourceLocation} from '../../shared/diagnostics.js'
import {redactValue} from '../../shared/redact.js'
import {formatPath, type Path} from '../../validate/describe.js'
import type {ProfileDecl} from '../../validate/types.js'

export interface FieldOrigin {
  /** `realtime_endpoints[0].url` */
  path: string
  /** The resolved value, secrets redacted. */
  value: unknown
  /** `recordings/sales.yaml:14`, or null for an endpoint default. */
  set_at: string | null
  /** The profile of the chain whose lines set it; null for an endpoint default. */
  profile: string | null
}

export interface AssignmentDigest {
  assignment: string
  digest: string
  same_as_profile: boolean
  /** Metadata keys the assignment merges over the profile's (values are not shown: they may be secrets). */
  metadata: Array<{key: string; change: 'added' | 'replaced' | 'removed'; set_at: string}>
  reason: string
}

export interface ProfileOrigins {
  name: string
  chain: Array<{profile: string; declared_at: string}>
  digest: string
  fields: FieldOrigin[]
  assignments: AssignmentDigest[]
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
const lineOf = (location: SourceLocation) => `${location.file}:${location.line}`

/**
 * Where each value of a resolved profile comes from (pure): for every leaf of the body, the file:line
 * of the chain that set it, or the endpoint default; the chain; and, for each assignment of the
 * profile, why its digest is (or is not) the profile's.
 */
export function profileOrigins(
  profile: ResolvedProfile,
  decls: ReadonlyMap<string, ProfileDecl>,
  assignments: readonly ResolvedAssignment[],
): ProfileOrigins {
  const chain = profile.chain.map((name) => decls.get(name)).filter((d): d is ProfileDecl => d !== undefined)
  const owner = (location: SourceLocation): string | null => {
    // The chain member in that file whose declaration is the nearest one above the line.
    let best: ProfileDecl | undefined
    for (const decl of chain)
      if (
        decl.source.file === location.file &&
        decl.location.line <= location.line &&
        (!best || decl.location.line > best.location.line)
      )
        best = decl
    return best?.name ?? null
  }
  const redacted = redactValue(profile.body)
  const fields: FieldOrigin[] = []
  const walk = (value: unknown, shown: unknown, path: Path): void => {
    const nested = Array.isArray(value) ? value.length > 0 : isMap(value) && Object.keys(value).length > 0
    if (nested) {
      for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
        const segment = Array.isArray(value) ? Number(key) : key
        walk(inner, (shown as Record<string, unknown>)[key], [...path, segment])
      }
      return
    }
    const origin = profile.origins.of(path)
    fields.push({
      path: formatPath(path),
      value: shown,
      set_at: origin ? lineOf(origin) : null,
      profile: origin ? owner(origin) : null,
    })
  }
  for (const key of BODY_FIELDS) walk(profile.body[key], redacted[key], [key])

  return {
    name: profile.name,
    chain: chain.map((decl) => ({profile: decl.name, declared_at: lineOf(decl.location)})),
    digest: profile.digest,
    fields,
    assignments: assignments.filter((a) => a.profile === profile.name).map((a) => assignmentDigest(a, profile)),
  }
}

function assignmentDigest(assignment: ResolvedAssignment, profile: ResolvedProfile): AssignmentDigest {
  const inherited = isMap(profile.body['metadata']) ? profile.body['metadata'] : {}
  const metadata = assignment.metadata.map(({key, value, location}) => ({
    key,
    change: value === null ? ('removed' as const) : key in inherited ? ('replaced' as const) : ('added' as const),
    set_at: lineOf(location),
  }))
  const same = assignment.digest === profile.digest
  const changes = metadata.map((m) => `${m.change} ${m.key} (${m.set_at})`).join(', ')
  return {
    assignment: assignment.label,
    digest: assignment.digest,
    same_as_profile: same,
    metadata,
    reason: same
      ? metadata.length === 0
        ? "it adds no metadata, so its bots get the profile's body and digest"
        : "its metadata leaves the merged body unchanged, so the digest is the profile's"
      : `it merges metadata over the profile's (${changes}); the digest covers the whole body, recording metadata included, so its bots are stamped with this digest, not the profile's`,
  }
}

/** `recallctl profiles NAME --origins` for a person (pure). */
export function renderOrigins(o: ProfileOrigins): string {
  const lines = [
    `# profile ${o.name}`,
    `# chain (parent first): ${o.chain.map((c) => `${c.profile} (${c.declared_at})`).join(' → ')}`,
    `# digest ${o.digest}`,
  ]
  const shown = o.fields.map((f) => `${f.path}: ${JSON.stringify(f.value)}`)
  const width = Math.min(70, Math.max(...shown.map((s) => s.length)))
  o.fields.forEach((f, i) =>
    lines.push(`${(shown[i] as string).padEnd(width)}  # ${f.set_at ? `${f.set_at} (${f.profile ?? '?'})` : 'endpoint default'}`),
  )
  if (o.assignments.length > 0) {
    lines.push('# assignments of this profile:')
    for (const a of o.assignments)
      lines.push(`#   ${a.assignment}: digest ${a.digest}${a.same_as_profile ? " (the profile's)" : ''}: ${a.reason}`)
  } else lines.push('# no assignment uses this profile directly')
  return lines.join('\n')
}
