import type {CompleteStartRecordingBody} from '../../recall/body-schema.js'
import {canonicalJson} from '../../shared/canonical-json.js'
import type {ImportableBot} from './bot-bodies.js'
import {factorProfiles} from './factor-profiles.js'
import {recordingsYaml} from '../yaml-text.js'
import {placeholderSecrets, type EnvVariable} from './placeholders.js'

/** The selector import was run with, written as the assignment when every bot shares one body. */
export interface ImportSelector {
  metadata: Record<string, string>
  status: string[]
}

export interface ImportOptions {
  prefix: string
  /** Set when bots were chosen by --match/--status only (no --bot), and no bot was left out. */
  selector: ImportSelector | undefined
  /** `../schemas/recordings.schema.json`, relative to the written file. */
  schemaPath: string
  /** Where the bots came from, for the header comment. */
  source: string
}

export interface ImportedProfile {
  name: string
  extends: string | undefined
  /** Bots assigned to it (none for the shared base). */
  bots: string[]
}

export interface ImportResult {
  text: string
  profiles: ImportedProfile[]
  variables: EnvVariable[]
  /** How bots are assigned: by their ids, or by the selector import was given. */
  assignedBy: 'bots' | 'match'
}

/** Bots with the same complete body, largest group first (then by first bot id), each group's ids sorted. */
export function groupByBody(bots: readonly ImportableBot[]): Array<{body: CompleteStartRecordingBody; bots: string[]}> {
  const groups = new Map<string, {body: CompleteStartRecordingBody; bots: string[]}>()
  for (const bot of bots) {
    const key = canonicalJson(bot.body)
    const group = groups.get(key)
    if (group) group.bots.push(bot.bot_id)
    else groups.set(key, {body: bot.body, bots: [bot.bot_id]})
  }
  const list = [...groups.values()].map((g) => ({...g, bots: [...g.bots].sort()}))
  return list.sort((a, b) => b.bots.length - a.bots.length || (a.bots[0] as string).localeCompare(b.bots[0] as string))
}

/**
 * Importable bots → the recordings file (pure): one leaf profile per distinct body, a shared base when
 * it shortens the file, secrets as `${env:}` references, assignments by bot id (or by the selector).
 */
export function buildImport(bots: readonly ImportableBot[], options: ImportOptions): ImportResult {
  const groups = groupByBody(bots)
  const factored = factorProfiles(groups.map((g) => g.body))
  const single = groups.length === 1
  const baseName = `${options.prefix}-base`
  const leafName = (i: number) => (single ? options.prefix : `${options.prefix}-${i + 1}`)
  const named = [
    ...(factored.base ? [{name: baseName, fields: factored.base}] : []),
    ...factored.leaves.map((fields, i) => ({name: leafName(i), fields: factored.base ? {extends: baseName, ...fields} : fields})),
  ]
  const {profiles: safe, variables} = placeholderSecrets(named)
  const assignedBy = options.selector && single ? 'match' : 'bots'
  const assignments =
    assignedBy === 'match'
      ? [{profile: leafName(0), match: matchOf(options.selector as ImportSelector)}]
      : groups.map((g, i) => ({profile: leafName(i), bots: g.bots}))
  const document = {profiles: Object.fromEntries(safe.map((p) => [p.name, p.fields])), assignments}
  const header = [
    `# yaml-language-server: $schema=${options.schemaPath}`,
    `# Written by recallctl import from ${options.source}: ${bots.length} bot(s), ${groups.length} distinct recording config(s).`,
    '# Each profile is a create-time recording_config completed with the endpoint defaults (fields left at',
    '# their default are not written; resolving fills them in again).',
    ...(variables.length > 0
      ? ['# Secrets are ${env:} references: set ' + variables.map((v) => v.name).join(', ') + ' before plan.']
      : []),
  ]
  const profiles: ImportedProfile[] = [
    ...(factored.base ? [{name: baseName, extends: undefined, bots: []}] : []),
    ...groups.map((g, i) => ({name: leafName(i), extends: factored.base ? baseName : undefined, bots: g.bots})),
  ]
  return {text: `${header.join('\n')}\n${recordingsYaml(document)}`, profiles, variables, assignedBy}
}

function matchOf(selector: ImportSelector): Record<string, unknown> {
  return {
    ...(Object.keys(selector.metadata).length > 0 ? {metadata: selector.metadata} : {}),
    ...(selector.status.length > 0 ? {status: selector.status} : {}),
  }
}
