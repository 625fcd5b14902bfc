import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {parse} from 'yaml'

/** The example pipelines, parsed as a CI service would read them. */

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
export const EXAMPLES_DIR = `${REPO_ROOT}examples/`

export const GITHUB_PLAN = 'github-actions/recallctl-plan.yml'
export const GITHUB_APPLY = 'github-actions/recallctl-apply.yml'
export const GITLAB_CI = 'gitlab-ci/.gitlab-ci.yml'
export const EXAMPLE_PIPELINES = [GITHUB_PLAN, GITHUB_APPLY, GITLAB_CI] as const

export const exampleText = (file: string): string => readFileSync(`${EXAMPLES_DIR}${file}`, 'utf8')

/** Parses strictly: duplicate keys and any YAML error throw. */
export const parseExample = (file: string): Record<string, unknown> =>
  parse(exampleText(file), {uniqueKeys: true, strict: true}) as Record<string, unknown>

export interface GithubStep {
  name?: string
  id?: string
  if?: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
  env?: Record<string, string>
}

export interface GithubJob {
  if?: string
  'runs-on'?: string
  environment?: string
  env?: Record<string, string>
  steps: GithubStep[]
}

export function githubJob(workflow: Record<string, unknown>, job: string): GithubJob {
  const found = (workflow['jobs'] as Record<string, GithubJob> | undefined)?.[job]
  if (!found) throw new Error(`no job ${job} in the workflow`)
  return found
}

/** A step by its `id`, else by its `name`. */
export function githubStep(workflow: Record<string, unknown>, job: string, idOrName: string): GithubStep {
  const step = githubJob(workflow, job).steps.find((s) => s.id === idOrName || s.name === idOrName)
  if (!step) throw new Error(`no step ${idOrName} in job ${job}`)
  return step
}

export const githubScript = (step: GithubStep): string => {
  const script = step.with?.['script']
  if (typeof step.uses !== 'string' || !step.uses.startsWith('actions/github-script@') || typeof script !== 'string')
    throw new Error(`step ${step.id ?? step.name} is not an actions/github-script step`)
  return script
}

export interface GitlabJob {
  stage?: string
  script: string[]
  rules?: Array<Record<string, unknown>>
  resource_group?: string
  variables?: Record<string, string>
  artifacts?: Record<string, unknown>
  environment?: {name: string}
}

export function gitlabJob(pipeline: Record<string, unknown>, job: string): GitlabJob {
  const found = pipeline[job] as GitlabJob | undefined
  if (!found) throw new Error(`no job ${job} in the pipeline`)
  return found
}
