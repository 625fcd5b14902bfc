import {Flags} from '@oclif/core'
import {flagEnv} from './flag-env.js'
import type {Plan} from '../plan/types.js'
import {renderHuman} from '../render/human.js'
import {renderJson} from '../render/json.js'
import {renderMarkdown} from '../render/markdown.js'

export const PLAN_FORMATS = ['human', 'markdown', 'json'] as const
export type PlanFormat = (typeof PLAN_FORMATS)[number]

/**
 * Output flags shared by `plan` and `show`. Their variables carry the command's name
 * (RECALLCTL_PLAN_FORMAT): a format chosen for one command must not change another's output.
 */
export const planOutputFlags = (command: 'plan' | 'show') => ({
  format: Flags.string({
    char: 'f',
    summary: 'Output format: human (terminal), markdown (pull-request comment) or json.',
    options: [...PLAN_FORMATS],
    default: 'human',
    env: flagEnv(command, 'format'),
  }),
  json: Flags.boolean({summary: 'Same as --format json: stdout holds only the JSON plan.', env: flagEnv(command, 'json')}),
})

export const chosenFormat = (flags: {format: string; json: boolean}): PlanFormat =>
  flags.json ? 'json' : (flags.format as PlanFormat)

export function renderPlan(plan: Plan, format: PlanFormat, options: {color: boolean; width?: number; planFile?: string}): string {
  if (format === 'json') return renderJson(plan)
  if (format === 'markdown') return renderMarkdown(plan, options.planFile ? {planFile: options.planFile} : {})
  return renderHuman(plan, {color: options.color, ...(options.width ? {width: options.width} : {})})
}
