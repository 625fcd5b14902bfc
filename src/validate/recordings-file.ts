import {z} from 'zod'
import {assignmentSchema, BOT_ID, PROFILE_NAME, profileSchema} from '../config/recordings-file-schema.js'
import {locate, type SourceDocument} from '../load/source-document.js'
import type {Diagnostic} from '../shared/diagnostics.js'
import {hasEnvRefSyntax} from '../shared/env-refs.js'
import {quoteName, type Path} from './describe.js'
import {checkEnvRefs, type EnvPlacement} from './env-vars.js'
import {checkMetadataMaps} from './metadata-values.js'
import type {AssignmentDecl, EnvCheck, ProfileDecl} from './types.js'
import {issuesToDiagnostics, locateIn} from './zod-diagnostics.js'

/** A variable that is unset or empty is reported, but the declaration is still resolved and checked. */
const ENV_VALUE_MISSING: ReadonlySet<string> = new Set(['env_unset', 'env_empty'])

const fileShape = z
  .object({
    profiles: z.record(z.string(), z.unknown()).nullable().optional(),
    assignments: z.array(z.unknown()).nullable().optional(),
  })
  .strict()

/** Checks one recordings file on its own lines: its profiles and assignments, each independently. */
export function validateRecordingsFile(
  source: SourceDocument,
  firstAssignmentIndex: number,
  envCheck: EnvCheck,
): {profiles: ProfileDecl[]; assignments: AssignmentDecl[]; diagnostics: Diagnostic[]} {
  const diagnostics: Diagnostic[] = []
  const profiles: ProfileDecl[] = []
  const assignments: AssignmentDecl[] = []
  const value = source.value
  if (value === undefined || value === null) {
    if (source.doc.errors.length === 0)
      diagnostics.push({
        severity: 'warning',
        code: 'empty_file',
        message: `${source.file} is empty: it declares no profiles or assignments.`,
        file: source.file,
        line: 1,
        column: 1,
      })
    return {profiles, assignments, diagnostics}
  }
  const shape = fileShape.safeParse(value, {reportInput: true})
  if (!shape.success) {
    diagnostics.push(
      ...issuesToDiagnostics(shape.error.issues, {locate: locateIn(source, []), schema: fileShape as z.ZodType, value}),
    )
    if (typeof value !== 'object' || Array.isArray(value)) return {profiles, assignments, diagnostics}
  }
  const raw = value as {profiles?: unknown; assignments?: unknown}

  if (raw.profiles && typeof raw.profiles === 'object' && !Array.isArray(raw.profiles)) {
    for (const [name, body] of Object.entries(raw.profiles as Record<string, unknown>)) {
      const decl = validateProfile(source, name, body, envCheck)
      profiles.push(decl.profile)
      diagnostics.push(...decl.diagnostics)
    }
  }
  if (Array.isArray(raw.assignments)) {
    raw.assignments.forEach((item, i) => {
      const decl = validateAssignment(source, i, firstAssignmentIndex + assignments.length, item, envCheck)
      if (decl.assignment) assignments.push(decl.assignment)
      diagnostics.push(...decl.diagnostics)
    })
  }
  return {profiles, assignments, diagnostics}
}

/** Where a profile may use `${env:}`: free text of the body; never `extends`. */
const PROFILE_ENV: EnvPlacement = {
  schema: profileSchema as z.ZodType,
  refused: (path: Path) => (path[0] === 'extends' ? 'a profile name' : undefined),
}

/** Where an assignment may use `${env:}`: its metadata values; never the profile, the bot ids or the selector. */
const ASSIGNMENT_ENV: EnvPlacement = {
  schema: assignmentSchema as z.ZodType,
  refused: (path: Path) =>
    path[0] === 'profile'
      ? 'a profile name'
      : path[0] === 'bots'
        ? 'a bot id'
        : path[0] === 'match'
          ? 'a match selector (which bots are read is decided before any secret is used)'
          : undefined,
}

function validateProfile(
  source: SourceDocument,
  name: string,
  body: unknown,
  envCheck: EnvCheck,
): {profile: ProfileDecl; diagnostics: Diagnostic[]} {
  const path = ['profiles', name]
  const subject = `profile "${quoteName(name)}"`
  const diagnostics: Diagnostic[] = []
  if (hasEnvRefSyntax(name))
    diagnostics.push({
      severity: 'error',
      code: 'env_not_allowed',
      message: `profile name "${quoteName(name)}" uses \${env:}, but a profile name cannot come from the environment: \${env:NAME} is substituted only in free text (URLs, metadata values and text provider options). Write the name itself.`,
      ...locate(source, path, {key: true}),
    })
  else if (!PROFILE_NAME.test(name))
    diagnostics.push({
      severity: 'error',
      code: 'bad_profile_name',
      message: `profile name "${quoteName(name)}" must start with a letter or digit and use only letters, digits, ".", "_" and "-".`,
      ...locate(source, path, {key: true}),
    })
  const asMap = body === null ? {} : body
  const {cleaned, diagnostics: metadataProblems} = checkMetadataMaps(asMap, {source, basePath: path, subject})
  diagnostics.push(...metadataProblems)
  const parsed = profileSchema.safeParse(cleaned, {reportInput: true})
  if (!parsed.success)
    diagnostics.push(
      ...issuesToDiagnostics(parsed.error.issues, {
        locate: locateIn(source, path),
        schema: profileSchema as z.ZodType,
        value: cleaned,
        subject,
        ignoreMissing: true,
      }),
    )
  diagnostics.push(...checkEnvRefs(asMap, {source, basePath: path, subject}, envCheck, PROFILE_ENV))
  const fields: Record<string, unknown> =
    cleaned !== null && typeof cleaned === 'object' && !Array.isArray(cleaned) ? {...(cleaned as Record<string, unknown>)} : {}
  const parent = fields['extends']
  delete fields['extends']
  return {
    profile: {
      name,
      source,
      path,
      location: locate(source, path, {key: true}),
      ...(typeof parent === 'string' && !hasEnvRefSyntax(parent)
        ? {extends: parent, extendsLocation: locate(source, [...path, 'extends'])}
        : {}),
      fields,
      ok: !diagnostics.some((d) => d.severity === 'error' && !ENV_VALUE_MISSING.has(d.code)),
    },
    diagnostics,
  }
}

function validateAssignment(
  source: SourceDocument,
  indexInFile: number,
  index: number,
  item: unknown,
  envCheck: EnvCheck,
): {assignment?: AssignmentDecl; diagnostics: Diagnostic[]} {
  const path = ['assignments', indexInFile]
  const location = locate(source, path)
  const subject = `assignment ${source.file}:${location.line}`
  const diagnostics: Diagnostic[] = []
  const {cleaned, diagnostics: metadataProblems} = checkMetadataMaps(item, {source, basePath: path, subject})
  diagnostics.push(...metadataProblems)
  const parsed = assignmentSchema.safeParse(cleaned, {reportInput: true})
  if (!parsed.success) {
    diagnostics.push(
      ...issuesToDiagnostics(parsed.error.issues, {
        locate: locateIn(source, path),
        schema: assignmentSchema as z.ZodType,
        value: cleaned,
        subject,
      }),
    )
  }
  const raw = (cleaned ?? {}) as {profile?: unknown; bots?: unknown; match?: unknown; metadata?: unknown}
  if (typeof raw === 'object' && raw.bots !== undefined && raw.match !== undefined)
    diagnostics.push({
      severity: 'error',
      code: 'bots_and_match',
      message: `${subject} has both bots and match. Keep one: split it into two assignments.`,
      ...locate(source, [...path, 'match'], {key: true}),
    })
  if (typeof raw === 'object' && raw.bots === undefined && raw.match === undefined)
    diagnostics.push({
      severity: 'error',
      code: 'no_selector',
      message: `${subject} needs bots (a list of bot ids) or match (a selector).`,
      ...location,
    })
  diagnostics.push(...checkEnvRefs(item, {source, basePath: path, subject}, envCheck, ASSIGNMENT_ENV))
  // Even a broken assignment names a profile and claims bots: keep what is readable, so that an
  // unknown profile or a bot claimed twice is reported in the same run.
  if (typeof raw !== 'object' || typeof raw.profile !== 'string' || hasEnvRefSyntax(raw.profile)) return {diagnostics}
  const data = parsed.success ? parsed.data : undefined
  const listed = Array.isArray(raw.bots) ? (raw.bots as unknown[]) : []
  const validBots = listed.flatMap((id, i) => (typeof id === 'string' && BOT_ID.test(id) ? [{id: id.toLowerCase(), i}] : []))
  const match = data?.match ?? (raw.match !== undefined ? {} : undefined)
  const assignment: AssignmentDecl = {
    index,
    source,
    path,
    location,
    label: `${source.file}:${location.line}`,
    profile: raw.profile,
    profileLocation: locate(source, [...path, 'profile']),
    selector: match
      ? {kind: 'match', metadata: match.metadata ?? {}, status: match.status ?? []}
      : {kind: 'bots', bots: validBots.map((b) => b.id), locations: validBots.map((b) => locate(source, [...path, 'bots', b.i]))},
    metadata: data?.metadata ?? {},
    ok: parsed.success && !diagnostics.some((d) => d.severity === 'error' && !ENV_VALUE_MISSING.has(d.code)),
  }
  return {assignment, diagnostics}
}
