import {Args} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {chosenFormat, planOutputFlags, renderPlan} from '../cli/plan-output.js'
import {readPlanFile} from '../app/read-plan-file.js'

export default class Show extends BaseCommand {
  static override summary = 'Render a saved plan file, without the config or the network.'
  static override description =
    'Reads a plan saved by `plan --out FILE` and prints it as the terminal text, the pull-request markdown or the JSON document, exactly as plan would have. It needs neither recall.config.yaml nor an API key, and reads nothing from Recall: use it to look at a plan artifact from CI. Exit 0, or 1 when the file cannot be read or is not a plan.'
  static override examples = [
    {description: 'Read a plan saved by plan --out', command: '<%= config.bin %> show plan.json'},
    {description: 'As a pull-request comment', command: '<%= config.bin %> show plan.json --format markdown'},
  ]

  static override args = {planfile: Args.string({description: 'A plan saved with `recallctl plan --out FILE`.', required: true})}
  static override flags = {...planOutputFlags('show')}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Show)
    this.noColorFlag = flags['no-color']
    const plan = await readPlanFile(args.planfile)
    const format = chosenFormat(flags)
    this.out(renderPlan(plan, format, {color: this.terminal.color && format === 'human', planFile: args.planfile}))
  }
}
