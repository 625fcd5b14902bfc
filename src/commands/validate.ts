import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {loadProject} from '../app/load-project.js'
import {diagnosticJson} from '../render/diagnostics-json.js'
import {countDiagnostics, renderDiagnostics} from '../render/diagnostics-text.js'
import {hasErrors} from '../shared/diagnostics.js'

export default class Validate extends BaseCommand {
  static override summary = 'Check every config and recordings file, offline.'
  static override description = `Reads recall.config.yaml and the recordings files it names, checks types, enums, unknown keys, extends chains, assignments and the rules between fields on each merged profile, and reports every problem at once with file:line:column. Needs no network and no API key; an unset \${env:} variable is only a warning here (plan and apply need it). Exit 0 when valid (warnings allowed), 1 when not.`

  static override examples = [
    {description: 'Check the project in the current directory', command: '<%= config.bin %> validate'},
    {description: 'Check another directory, machine-readable', command: '<%= config.bin %> validate --dir infra/recall --json'},
  ]

  static override flags = {
    json: Flags.boolean({summary: 'Print the result as JSON on stdout.', env: 'RECALLCTL_VALIDATE_JSON'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Validate)
    this.noColorFlag = flags['no-color']
    const run = await loadProject(flags.dir, 'warning')
    this.addSecrets(...run.envValues)
    const diagnostics = run.resolved.diagnostics
    const valid = !hasErrors(diagnostics)
    const bots = new Set(run.validated.assignments.flatMap((a) => (a.selector.kind === 'bots' ? a.selector.bots : [])))
    const selectors = run.validated.assignments.filter((a) => a.selector.kind === 'match').length
    const counts = {
      profiles: run.validated.profiles.size,
      assignments: run.validated.assignments.length,
      bots: bots.size,
      match_selectors: selectors,
    }
    if (flags.json) {
      this.out(JSON.stringify({valid, ...counts, diagnostics: diagnostics.map(diagnosticJson)}, null, 2))
    } else {
      if (diagnostics.length > 0) this.out(renderDiagnostics(diagnostics, {color: this.terminal.color}))
      const files = 1 + run.loaded.recordings.length
      const summary = `${files} files, ${counts.profiles} profiles, ${counts.assignments} assignments (${counts.bots} bots by id, ${counts.match_selectors} match selectors)`
      this.out(
        valid
          ? `Valid: ${summary}.${diagnostics.length ? ` ${countDiagnostics(diagnostics)}.` : ''}`
          : `Invalid: ${countDiagnostics(diagnostics)} in ${summary}.`,
      )
    }
    process.exitCode = valid ? 0 : 1
  }
}
