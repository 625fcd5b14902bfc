import path from 'node:path'
import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {flagEnv} from '../cli/flag-env.js'
import {UserError} from '../shared/user-error.js'
import {REGIONS} from '../config/project-config-schema.js'
import {CI_KINDS, type CiKind} from '../onboarding/init/scaffold.js'
import {runInit} from '../onboarding/init/run-init.js'
import {describeOsError} from '../shared/os-error.js'

const env = (flag: string) => flagEnv('init', flag)

const OUTCOME_WORDS = {
  written: 'wrote',
  updated: 'updated',
  exists: 'skipped (exists)',
  unavailable: 'skipped (not in this installation)',
} as const

export default class Init extends BaseCommand {
  static override summary = 'Scaffold a recallctl project: config, a starter profile, schemas, .gitignore and CI files.'
  static override description = `Writes recall.config.yaml, recordings/default.yaml (a starter profile that sets retention explicitly, assigned to bots created with the metadata recording_profile: default), the JSON Schemas their $schema lines point at, a .gitignore entry for .recallctl/, and the CI workflow files (GitHub Actions or GitLab CI, from recallctl's examples). A file that exists is never overwritten: it is skipped and reported. Without --region the project uses the embedded sandbox, so plan runs at once.`

  static override examples = [
    {
      description: 'Try it with no account: the embedded sandbox, GitHub Actions workflows',
      command: '<%= config.bin %> init --sandbox',
    },
    {
      description: 'A real workspace in eu-central-1, GitLab CI',
      command: '<%= config.bin %> init --region eu-central-1 --ci gitlab',
    },
    {
      description: 'Into another folder, no CI files',
      command: '<%= config.bin %> init --dir infra/recall --region us-west-2 --ci none',
    },
  ]

  static override flags = {
    region: Flags.string({
      summary: 'The Recall region of your workspace.',
      options: [...REGIONS],
      exclusive: ['sandbox'],
      env: env('region'),
    }),
    sandbox: Flags.boolean({
      summary: 'Use the embedded sandbox (the default without --region).',
      exclusive: ['region'],
      env: env('sandbox'),
    }),
    ci: Flags.string({summary: 'CI workflow files to write.', options: [...CI_KINDS], default: 'github', env: env('ci')}),
    json: Flags.boolean({summary: 'Print the files and what happened to each as JSON on stdout.', env: env('json')}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Init)
    this.noColorFlag = flags['no-color']
    const report = await runInit({
      dir: flags.dir,
      region: flags.region,
      ci: flags.ci as CiKind,
      packageRoot: this.config.root,
    }).catch((error: unknown) => {
      const message = describeOsError(error, 'init cannot write')
      throw message ? new UserError(message) : error
    })
    const relative = path.relative(process.cwd(), report.root)
    const shownDir = relative.startsWith('..') ? report.root : relative
    const inDir = shownDir === '' ? '' : ` --dir ${shownDir}`
    const next = [
      `recallctl validate${inDir}`,
      flags.region ? `RECALL_API_KEY=<your key> recallctl plan${inDir}` : `recallctl plan${inDir}`,
      flags.region ? `RECALL_API_KEY=<your key> recallctl apply${inDir}` : `recallctl apply${inDir}`,
    ]
    if (flags.json) {
      this.out(JSON.stringify({root: report.root, files: report.files, next}, null, 2))
      return
    }
    const width = Math.max(...report.files.map((f) => f.file.length))
    const lines = report.files.map((f) => `  ${f.file.padEnd(width)}  ${OUTCOME_WORDS[f.outcome]}`)
    lines.push('', 'Next:', ...next.map((command) => `  ${command}`))
    if (flags.region) lines.push('', 'Bots already recording? `recallctl import` writes profiles from their configs.')
    this.out(`${report.root}\n${lines.join('\n')}`)
  }
}
