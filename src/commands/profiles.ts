import {Args, Flags} from '@oclif/core'
import {stringify} from 'yaml'
import {BaseCommand} from '../cli/base-command.js'
import {loadProject} from '../app/load-project.js'
import {UserError} from '../shared/user-error.js'
import {renderDiagnostics} from '../render/diagnostics-text.js'
import {formatLocation, hasErrors} from '../shared/diagnostics.js'
import {redactValue} from '../shared/redact.js'
import {didYouMean} from '../validate/describe.js'

export default class Profiles extends BaseCommand {
  static override summary = 'Print the resolved, explicit start_recording body of each profile.'
  static override description = `Shows what recallctl would send for a profile: its extends chain merged, every field the chain leaves unset written out with the endpoint's default, and its digest. Secrets (\${env:} values, URL credentials and query values, secret-looking metadata) show as <redacted>.`

  static override examples = [
    {description: 'Every profile', command: '<%= config.bin %> profiles'},
    {description: 'One profile as JSON', command: '<%= config.bin %> profiles sales-call --json'},
    {
      description: 'Which file:line set each field, the extends chain, and the digests of its assignments',
      command: '<%= config.bin %> profiles sales-call --origins',
    },
  ]

  static override args = {name: Args.string({description: 'Profile name (all profiles when omitted).', required: false})}

  static override flags = {
    json: Flags.boolean({summary: 'Print JSON on stdout: [{name, chain, digest, body}].', env: 'RECALLCTL_PROFILES_JSON'}),
    origins: Flags.boolean({
      summary:
        'For each field, the file:line that set it (or "endpoint default"); the chain; why an assignment\'s digest differs.',
      env: 'RECALLCTL_PROFILES_ORIGINS',
    }),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Profiles)
    this.noColorFlag = flags['no-color']
    const run = await loadProject(flags.dir, 'warning')
    this.addSecrets(...run.envValues)
    const {profiles, diagnostics} = run.resolved
    const errors = diagnostics.filter((d) => d.severity === 'error')
    if (errors.length > 0) this.note(renderDiagnostics(errors, {color: false}))
    let chosen = profiles
    if (args.name !== undefined) {
      chosen = profiles.filter((p) => p.name === args.name)
      if (chosen.length === 0) {
        if (run.validated.profiles.has(args.name))
          throw new UserError(`profile "${args.name}" does not resolve: fix the errors above.`)
        const names = [...run.validated.profiles.keys()]
        const guess = didYouMean(args.name, names)
        throw new UserError(
          `no profile named "${args.name}". ${guess ? `Did you mean "${guess}"?` : `Profiles: ${names.join(', ') || 'none'}.`}`,
        )
      }
    }
    if (flags.origins) {
      const {profileOrigins, renderOrigins} = await import('../onboarding/origins/profile-origins.js')
      const origins = chosen.map((p) => profileOrigins(p, run.validated.profiles, run.resolved.assignments))
      this.out(flags.json ? JSON.stringify(origins, null, 2) : origins.map(renderOrigins).join('\n\n'))
      process.exitCode = hasErrors(diagnostics) ? 1 : 0
      return
    }
    const shown = chosen.map((p) => ({
      name: p.name,
      chain: p.chain,
      declared_at: formatLocation(p.location),
      digest: p.digest,
      body: redactValue(p.body),
    }))
    if (flags.json) this.out(JSON.stringify(shown, null, 2))
    else
      this.out(
        shown
          .map(
            (p) =>
              `# profile ${p.name}${p.chain.length > 1 ? ` (extends ${p.chain.slice(0, -1).reverse().join(' → ')})` : ''}, ${p.declared_at}\n# digest ${p.digest}\n${stringify(p.body, {lineWidth: 0})}`,
          )
          .join('\n'),
      )
    process.exitCode = hasErrors(diagnostics) ? 1 : 0
  }
}
