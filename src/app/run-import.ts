import {mkdir, stat, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {connect} from './connect.js'
import {loadProject} from './load-project.js'
import {UserError} from '../shared/user-error.js'
import {writeOutputFile} from './write-output.js'
import {SCHEMA_FILE_NAMES} from '../config/json-schemas.js'
import {matchesSelector} from '../refresh/claim.js'
import {parseBot, type Bot} from '../recall/bot-schema.js'
import {snapshotOf} from '../refresh/snapshot.js'
import {renderDiagnostics} from '../render/diagnostics-text.js'
import {formatLocation, type Diagnostic} from '../shared/diagnostics.js'
import {envRefsIn} from '../shared/env-refs.js'
import {describeOsError} from '../shared/os-error.js'
import {redactUrl} from '../shared/redact.js'
import {placeSchemas} from '../onboarding/schema-files.js'
import {valueAt} from '../validate/describe.js'
import {importBot, type ImportableBot} from '../onboarding/import/bot-bodies.js'
import {buildImport, type ImportResult, type ImportSelector} from '../onboarding/import/build-import.js'

export interface ImportRequest {
  dir: string
  out: string
  force: boolean
  prefix: string
  selector: ImportSelector
  botIds: string[]
  /** The installed package's root, where its schemas/ folder is. */
  packageRoot: string
  onProgress: (message: string) => void
  /** Every secret value met (API key, imported secrets) goes to the output scrubber first. */
  onSecrets: (values: string[]) => void
}

export interface ImportReport {
  file: string
  result: ImportResult
  bots: ImportableBot[]
  skipped: Array<{bot_id: string; reason: string}>
  schemas: Array<{file: string; outcome: string}>
  /** Problems `validate` finds in the project with the new file (none expected). */
  diagnostics: Diagnostic[]
}

/** import: read the bots, build the file (pure), write it, and check the project still validates. */
export async function runImport(request: ImportRequest): Promise<ImportReport> {
  const run = await loadProject(request.dir, 'warning')
  const config = run.resolved.config
  if (!config) {
    const problems = run.resolved.diagnostics.filter((d) => d.severity === 'error')
    throw new UserError(
      `import needs a valid recall.config.yaml in ${run.root} (it says where Recall is; \`recallctl init\` writes one).${problems.length ? `\n${renderDiagnostics(problems, {color: false})}` : ''}`,
    )
  }
  const outFile = path.resolve(run.root, request.out)
  const shownFile = path.relative(process.cwd(), outFile) || outFile
  if (!request.force && (await exists(outFile)))
    throw new UserError(
      `${shownFile} already exists: import never overwrites a file. Choose another with --out, or pass --force to replace it.`,
    )

  const connection = await connect(config, run.root)
  request.onSecrets([connection.apiKey])
  let bots: Bot[]
  try {
    bots = await readBots(connection, request)
  } finally {
    await connection.close()
  }

  // Bots another file already assigns stay where they are: a second claim would be an error.
  const others = run.resolved.assignments.filter((a) => path.resolve(run.root, a.location.file) !== outFile)
  const skipped: ImportReport['skipped'] = []
  const importable: ImportableBot[] = []
  for (const bot of bots) {
    const claim = others.find((a) =>
      a.selector.kind === 'bots'
        ? a.selector.bots.map((b) => b.toLowerCase()).includes(bot.id.toLowerCase())
        : matchesSelector(snapshotOf(bot), a.selector),
    )
    if (claim) {
      skipped.push({bot_id: bot.id, reason: `already assigned by ${claim.label} (profile "${claim.profile}")`})
      continue
    }
    const imported = importBot(bot)
    if (imported.ok) importable.push(imported.bot)
    else skipped.push({bot_id: imported.bot_id, reason: imported.reason})
  }
  if (importable.length === 0)
    throw new UserError(
      bots.length === 0
        ? "no bot matched: nothing to import. Check --match, --status and --bot (List Bots filters on the bot's metadata, not the recording's)."
        : `none of the ${bots.length} bot(s) found can be imported:\n${skipped.map((s) => `  ${s.bot_id}: ${s.reason}`).join('\n')}`,
    )

  const taken = new Map(
    [...run.validated.profiles.values()]
      .filter((p) => path.resolve(run.root, p.source.file) !== outFile)
      .map((p) => [p.name, p.location]),
  )
  const selectorOnly =
    request.botIds.length === 0 &&
    (Object.keys(request.selector.metadata).length > 0 || request.selector.status.length > 0) &&
    skipped.length === 0
  const result = buildImport(importable, {
    prefix: request.prefix,
    selector: selectorOnly ? request.selector : undefined,
    schemaPath: toPosix(path.relative(path.dirname(outFile), path.join(run.root, 'schemas', SCHEMA_FILE_NAMES.recordings))),
    source: connection.baseUrl === 'sandbox' ? 'the embedded sandbox' : redactUrl(connection.baseUrl),
  })
  request.onSecrets(result.variables.map((v) => v.value))
  const clash = result.profiles.find((p) => taken.has(p.name))
  if (clash)
    throw new UserError(
      `profile "${clash.name}" already exists at ${formatLocation(taken.get(clash.name) ?? {})}: choose another name with --profile-prefix.`,
    )

  const schemas = await asSentence(shownFile, async () => {
    await mkdir(path.dirname(outFile), {recursive: true})
    if (request.force) await writeOutputFile(outFile, result.text, 'the recordings file', shownFile)
    else await writeFile(outFile, result.text, {flag: 'wx'})
    return placeSchemas(run.root, request.packageRoot)
  })

  const after = await loadProject(request.dir, 'warning')
  const relative = toPosix(path.relative(run.root, outFile))
  const read = after.loaded.recordings.some((source) => source.file === relative)
  // The variables import just named are unset here by nature: saying so again for each use is noise.
  const ours = new Set(result.variables.map((v) => v.name))
  const written = after.loaded.recordings.find((source) => source.file === relative)
  const namesAt = (d: Diagnostic): string[] =>
    written && d.file === relative && d.path ? envRefsIn(String(valueAt(written.value, d.path))) : []
  const diagnostics = after.resolved.diagnostics.filter(
    (d) =>
      (d.severity === 'error' || d.file === relative) && !(d.code === 'env_unset' && namesAt(d).some((name) => ours.has(name))),
  )
  if (!read)
    diagnostics.push({
      severity: 'warning',
      code: 'import_not_read',
      message: `${relative} is not matched by the recordings globs of recall.config.yaml, so plan will not read it: add it to recordings:.`,
    })
  return {
    file: shownFile,
    result,
    bots: importable,
    skipped,
    schemas: schemas.map((s) => ({file: s.file, outcome: s.outcome})),
    diagnostics,
  }
}

async function readBots(connection: Awaited<ReturnType<typeof connect>>, request: ImportRequest): Promise<Bot[]> {
  const byId = new Map<string, Bot>()
  const add = (raw: unknown) => {
    const parsed = parseBot(raw)
    if (!parsed.ok)
      throw new UserError(`Recall returned a bot recallctl cannot read (${parsed.problems.slice(0, 3).join('; ')}).`)
    byId.set(parsed.value.id.toLowerCase(), parsed.value)
  }
  const {metadata, status} = request.selector
  if (request.botIds.length === 0 || Object.keys(metadata).length > 0 || status.length > 0) {
    request.onProgress(`Listing bots${describeSelector(request.selector)} from ${connection.baseUrl}...`)
    for (const bot of await connection.client.listBots({metadata, status})) add(bot)
  }
  const missing: string[] = []
  for (const id of request.botIds) {
    const bot = await connection.client.retrieveBot(id)
    if (bot === null) missing.push(id)
    else add(bot)
  }
  if (missing.length > 0)
    throw new UserError(
      `no bot ${missing.join(', ')} in this workspace and region (${connection.baseUrl}; Recall answered 404): check the id${missing.length > 1 ? 's' : ''}, or drop --bot ${missing[0]}.`,
    )
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id))
}

function describeSelector(selector: ImportSelector): string {
  const parts = [
    ...Object.entries(selector.metadata).map(([k, v]) => `metadata.${k}=${v}`),
    ...(selector.status.length ? [`status ${selector.status.join('|')}`] : []),
  ]
  return parts.length ? ` (${parts.join(', ')})` : ''
}

/** Runs file writes; an OS error becomes one sentence naming the path (an existing file: the --force hint). */
async function asSentence<T>(shown: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new UserError(
        `${shown} already exists: import never overwrites a file. Choose another with --out, or pass --force to replace it.`,
      )
    const message = describeOsError(error, 'import cannot write')
    if (message) throw new UserError(message)
    throw error
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file)
    return true
  } catch {
    return false
  }
}

const toPosix = (p: string) => p.split(path.sep).join('/')
