import {withEndpointDefaults} from '../recall/body-defaults.js'
import type {StartRecordingBody} from '../recall/body-schema.js'
import {bodyDigest} from '../shared/digest.js'
import {MAX_EXTENDS_CHAIN} from '../shared/limits.js'
import {dedupeDiagnostics, hasErrors, sortDiagnostics, type Diagnostic, type SourceLocation} from '../shared/diagnostics.js'
import {collectEnvRefs} from '../shared/env-refs.js'
import type {Path} from '../validate/describe.js'
import {locate} from '../load/source-document.js'
import type {AssignmentDecl, ProfileDecl, ValidatedProject} from '../validate/types.js'
import {checkMergedBody} from './check-merged-body.js'
import {checkSubstitutedBody, type EnvValues} from './check-substituted.js'
import {mergeLayers, type MergeLayer} from './merge.js'
import type {ResolvedAssignment, ResolvedProfile, ResolvedProject} from './types.js'

/**
 * The resolve stage (pure): each profile's `extends` chain merged, parent first, then the endpoint
 * defaults written out, giving one complete body and its digest per profile; each assignment adds
 * its metadata last. Profiles whose own lines have errors, or whose chain is broken, are skipped
 * (their errors are already reported).
 */
export function resolveProject(validated: ValidatedProject, options: {env?: EnvValues} = {}): ResolvedProject {
  const diagnostics: Diagnostic[] = [...validated.diagnostics]
  const resolved = new Map<string, ResolvedProfile>()
  for (const name of [...validated.profiles.keys()].sort()) {
    const chain = chainOf(name, validated.profiles)
    if (!chain || chain.some((p) => !p.ok)) continue
    const profile = chain[chain.length - 1] as ProfileDecl
    const {merged, origins} = mergeLayers(chain.map(layerOf))
    // The merged layers were each checked against the body schema by validate; checkMergedBody checks the whole.
    const body = withEndpointDefaults(merged as StartRecordingBody)
    const subject = `profile "${name}"${
      chain.length > 1
        ? ` (extends ${chain
            .slice(0, -1)
            .reverse()
            .map((p) => `"${p.name}"`)
            .join(' → ')})`
        : ''
    }`
    const problems = checkMergedBody(body, origins, subject, profile.location)
    // Bodies are checked again as they will be sent, before anything is read or sent.
    if (options.env && !hasErrors(problems))
      problems.push(...checkSubstitutedBody(body, options.env, (path) => origins.of(path) ?? profile.location, subject))
    diagnostics.push(...problems.map((d) => ({...d, address: {profile: name}})))
    if (hasErrors(problems)) continue
    resolved.set(name, {
      name,
      location: profile.location,
      chain: chain.map((p) => p.name),
      body,
      digest: bodyDigest(body),
      origins,
    })
  }

  const assignments: ResolvedAssignment[] = []
  for (const decl of validated.assignments) {
    const profile = resolved.get(decl.profile)
    if (!profile || !decl.ok) continue
    const assignment = resolveAssignment(decl, profile)
    if (options.env && collectEnvRefs(decl.metadata).size > 0) {
      const problems = checkSubstitutedBody(
        assignment.body,
        options.env,
        (path) => locateInAssignment(decl, profile, path),
        `assignment ${decl.label}`,
      )
      diagnostics.push(...problems.map((d) => ({...d, address: {profile: decl.profile, assignment: decl.label}})))
      if (hasErrors(problems)) continue
    }
    assignments.push(assignment)
  }
  return {
    config: validated.config,
    profiles: [...resolved.values()],
    assignments,
    diagnostics: sortDiagnostics(dedupeDiagnostics(diagnostics)),
  }
}

function resolveAssignment(decl: AssignmentDecl, profile: ResolvedProfile): ResolvedAssignment {
  const own = Object.entries(decl.metadata).map(([key, value]) => ({
    key,
    value,
    location: locate(decl.source, [...decl.path, 'metadata', key]),
  }))
  const fields = {label: decl.label, location: decl.location, profile: profile.name, selector: decl.selector, metadata: own}
  if (own.length === 0) return {...fields, body: profile.body, digest: profile.digest}
  const metadata = {...profile.body.metadata}
  for (const [key, value] of Object.entries(decl.metadata)) {
    if (value === null) delete metadata[key]
    else metadata[key] = value
  }
  const body = {...profile.body, metadata}
  return {...fields, body, digest: bodyDigest(body)}
}

/** An assignment's own metadata is on its lines; the rest of its body comes from the profile. */
function locateInAssignment(decl: AssignmentDecl, profile: ResolvedProfile, path: Path): SourceLocation {
  if (path[0] === 'metadata' && typeof path[1] === 'string' && path[1] in decl.metadata)
    return locate(decl.source, [...decl.path, 'metadata', path[1]])
  return profile.origins.of(path) ?? decl.location
}

/** Root-first chain of a profile, or undefined when a parent is missing or the chain loops. */
function chainOf(name: string, profiles: ReadonlyMap<string, ProfileDecl>): ProfileDecl[] | undefined {
  const chain: ProfileDecl[] = []
  let current = profiles.get(name)
  while (current) {
    // A chain over the cap is an error of its own (validate reports it); stop walking it here.
    if (chain.includes(current) || chain.length >= MAX_EXTENDS_CHAIN) return undefined
    chain.unshift(current)
    if (current.extends === undefined) return chain
    current = profiles.get(current.extends)
  }
  return undefined
}

const layerOf = (profile: ProfileDecl): MergeLayer => ({
  fields: profile.fields,
  locate: (path) => locate(profile.source, [...profile.path, ...path]),
})
