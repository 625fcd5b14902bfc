import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {flagEnv} from '../cli/flag-env.js'
import {UserError} from '../shared/user-error.js'
import {BOT_STATUSES} from '../config/bot-status.js'
import {BOT_ID, PROFILE_NAME} from '../config/recordings-file-schema.js'
import {runImport} from '../app/run-import.js'
import {renderDiagnostics} from '../render/diagnostics-text.js'
import {hasErrors} from '../shared/diagnostics.js'

const env = (flag: string) => flagEnv('import', flag)

export default class Import extends BaseCommand {
  static override summary = 'Write a recordings file from the bots you already run.'
  static override description = `Reads bots from Recall (List Bots with --match/--status, one read per --bot id; every bot when neither is given), takes each bot's create-time recording_config completed with the endpoint defaults, and writes one profile per distinct config: a shared base profile plus children when that makes the file shorter, and assignments by bot id (by the --match/--status selector when every bot found shares one config). Secrets are never written: URL credentials, URL query values and secret-looking metadata values become \${env:NAME} references, and import prints the names to set. With them set, plan adopts every bot still recording its create-time config (no restart) and import names the bots it will not, with the reason. Never overwrites a file without --force.`

  static override examples = [
    {
      description: "Import the support team's bots that are in a call",
      command: '<%= config.bin %> import --match metadata.team=support --status in_call_recording',
    },
    {
      description: 'Two bots by id, into a file of your choice',
      command:
        '<%= config.bin %> import --bot 6e1f5adb-3340-4f50-900d-9aa2cdc53d6c --bot 0b7d2c4e-8f1a-4c3b-9e5d-2a6f8b1c3d4e --out recordings/legacy.yaml',
    },
    {description: 'Every bot, profiles named legacy-*', command: '<%= config.bin %> import --profile-prefix legacy --force'},
  ]

  static override flags = {
    match: Flags.string({
      summary: 'Only bots whose metadata has KEY=VALUE, written metadata.KEY=VALUE (repeatable: all must match).',
      multiple: true,
      env: env('match'),
      delimiter: ',',
    }),
    status: Flags.string({
      summary: 'Only bots in this status (repeatable).',
      multiple: true,
      options: [...BOT_STATUSES],
      env: env('status'),
      delimiter: ',',
    }),
    bot: Flags.string({summary: 'This bot id (repeatable).', multiple: true, env: env('bot'), delimiter: ','}),
    out: Flags.string({
      char: 'o',
      summary: 'The recordings file to write, relative to --dir.',
      default: 'recordings/imported.yaml',
      env: env('out'),
    }),
    force: Flags.boolean({summary: 'Replace the file when it exists.', env: env('force')}),
    'profile-prefix': Flags.string({
      summary: 'Names of the profiles written: PREFIX, PREFIX-base, PREFIX-1...',
      default: 'imported',
      env: env('profile-prefix'),
    }),
    json: Flags.boolean({summary: 'Print the outcome as JSON on stdout (variable names, never values).', env: env('json')}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Import)
    this.noColorFlag = flags['no-color']
    const prefix = flags['profile-prefix']
    if (!PROFILE_NAME.test(prefix))
      throw new UserError(
        `--profile-prefix "${prefix}" is not a profile name: start with a letter or digit, then letters, digits, ".", "_" or "-".`,
      )
    const report = await runImport({
      dir: flags.dir,
      out: flags.out,
      force: flags.force,
      prefix,
      selector: {metadata: parseMatches(flags.match ?? []), status: flags.status ?? []},
      botIds: (flags.bot ?? []).map(parseBotId),
      packageRoot: this.config.root,
      onProgress: (message) => this.note(message),
      onSecrets: (values) => this.addSecrets(...values),
    })
    const {result} = report
    const adopted = report.bots.filter((b) => b.outlook.kind === 'adopted')
    const changes = report.bots.filter((b) => b.outlook.kind === 'change')
    const failed = hasErrors(report.diagnostics)
    if (flags.json) {
      this.out(
        JSON.stringify(
          {
            file: report.file,
            profiles: result.profiles,
            assigned_by: result.assignedBy,
            variables: result.variables.map((v) => ({name: v.name, profile: v.profile, where: v.where})),
            bots: report.bots.map((b) => ({
              bot_id: b.bot_id,
              status: b.status,
              outlook: b.outlook.kind,
              reason: b.outlook.reason,
            })),
            skipped: report.skipped,
            schemas: report.schemas,
            diagnostics: report.diagnostics,
          },
          null,
          2,
        ),
      )
    } else {
      const leaves = result.profiles.filter((p) => p.bots.length > 0)
      const lines = [
        `Wrote ${report.file}: ${leaves.length} profile(s) for ${report.bots.length} bot(s)${result.profiles.length > leaves.length ? `, sharing ${result.profiles[0]?.name}` : ''}; assigned ${result.assignedBy === 'match' ? 'by your selector' : 'by bot id'}.`,
      ]
      for (const p of result.profiles)
        lines.push(
          `  ${p.name}${p.extends ? ` (extends ${p.extends})` : ''}: ${p.bots.length === 0 ? 'shared base' : `${p.bots.length} bot(s)`}`,
        )
      for (const s of report.schemas.filter((s) => s.outcome === 'written'))
        lines.push(`Wrote ${s.file} (editor completion for the $schema line).`)
      if (result.variables.length > 0) {
        lines.push(
          '',
          `Set ${result.variables.length === 1 ? 'this variable' : `these ${result.variables.length} variables`} before plan (each holds a secret from the bots' configs; recallctl never writes the values):`,
        )
        const width = Math.max(...result.variables.map((v) => v.name.length))
        for (const v of result.variables) lines.push(`  ${v.name.padEnd(width)}  profile ${v.profile}, ${v.where}`)
      }
      if (report.skipped.length > 0) {
        lines.push('', `Not imported (${report.skipped.length}):`)
        for (const s of report.skipped) lines.push(`  ${s.bot_id}: ${s.reason}`)
      }
      if (changes.length > 0) {
        lines.push('', `Plan will not adopt ${changes.length} bot(s):`)
        for (const b of changes) lines.push(`  ${b.bot_id}: ${b.outlook.reason}`)
      }
      lines.push('', `${adopted.length} bot(s) are recording their create-time config: plan adopts them, no restart.`)
      if (report.diagnostics.length > 0) lines.push('', renderDiagnostics(report.diagnostics, {color: this.terminal.color}))
      lines.push(
        '',
        `Next: ${result.variables.length > 0 ? 'set the variables above, then ' : ''}recallctl validate && recallctl plan --detailed-exitcode`,
      )
      this.out(lines.join('\n'))
    }
    process.exitCode = failed ? 1 : 0
  }
}

/** `metadata.team=sales` → {team: 'sales'}. */
function parseMatches(values: readonly string[]): Record<string, string> {
  const pairs: Record<string, string> = {}
  for (const value of values) {
    const found = /^metadata\.([^=]+)=(.*)$/s.exec(value)
    if (!found)
      throw new UserError(`--match "${value}" is not metadata.KEY=VALUE: write, for example, --match metadata.team=sales.`)
    pairs[found[1] as string] = found[2] as string
  }
  return pairs
}

function parseBotId(value: string): string {
  const id = value.trim().toLowerCase()
  if (!BOT_ID.test(id))
    throw new UserError(`--bot "${value}" is not a bot id: Recall bot ids are UUIDs like 6e1f5adb-3340-4f50-900d-9aa2cdc53d6c.`)
  return id
}
