import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {flagEnv} from '../cli/flag-env.js'
import {UserError} from '../shared/user-error.js'
import {jsonSchemaOf} from '../config/json-schemas.js'
import {explainPath, type JsonSchema} from '../onboarding/explain/explain-path.js'
import {exampleYaml, renderExplanation} from '../onboarding/explain/render-explain.js'

export default class Explain extends BaseCommand {
  static override summary = 'Explain a field of a profile: type, allowed values, default, rules and an example.'
  static override description = `Reads recallctl's own schema of recordings files (the one \`recallctl schema\` writes for editors), so what it says is what validate checks: the field's type and allowed values, the endpoint default a profile gets when its chain leaves the field unset, the rules between fields that involve it, and a YAML example. List items are walked into: realtime_endpoints.events is the events of each endpoint.`

  static override examples = [
    {description: 'How long recordings are kept', command: '<%= config.bin %> explain retention'},
    {
      description: "Recall.ai's streaming transcription options",
      command: '<%= config.bin %> explain transcript.provider.recallai_streaming',
    },
    {
      description: 'The events each real-time endpoint type accepts, as JSON',
      command: '<%= config.bin %> explain realtime_endpoints.events --json',
    },
  ]

  static override args = {
    path: Args.string({description: 'A field path, e.g. retention or realtime_endpoints.events.', required: true}),
  }

  static override flags = {
    json: Flags.boolean({summary: 'Print the explanation as JSON on stdout.', env: flagEnv('explain', 'json')}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Explain)
    this.noColorFlag = flags['no-color']
    const schema = jsonSchemaOf('recordings') as {properties: {profiles: {additionalProperties: JsonSchema}}}
    const result = explainPath(schema.properties.profiles.additionalProperties, args.path)
    if (!result.ok) throw new UserError(result.message)
    if (flags.json) this.out(JSON.stringify({...result.explanation, example_yaml: exampleYaml(result.explanation)}, null, 2))
    else this.out(renderExplanation(result.explanation))
  }
}
