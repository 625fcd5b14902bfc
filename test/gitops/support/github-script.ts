import {createRequire} from 'node:module'

/**
 * Runs an `actions/github-script` script the way the action does (an async function of `require`,
 * `github`, `context`, `core`), against an in-memory pull request instead of the GitHub API.
 */

export interface FakeComment {
  id: number
  body: string
  user: {login: string; type: 'Bot' | 'User'}
  html_url: string
}

export interface ScriptResult {
  outputs: Record<string, string>
  failed: string | undefined
  log: string[]
}

const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
  ...args: string[]
) => (...values: unknown[]) => Promise<unknown>

export class FakePullRequest {
  readonly comments: FakeComment[] = []
  readonly writes: Array<{kind: 'create' | 'update'; id: number}> = []
  private nextId = 1000

  constructor(
    readonly number: number,
    readonly merged = false,
  ) {}

  addComment(body: string, user: FakeComment['user']): FakeComment {
    const comment = {
      id: this.nextId++,
      body,
      user,
      html_url: `https://github.com/acme/recordings/pull/${this.number}#issuecomment-${this.nextId}`,
    }
    this.comments.push(comment)
    return comment
  }

  /** Runs `script` with the fakes; `env` is visible as process.env for the duration. */
  async run(script: string, env: Record<string, string> = {}, runId = 4242): Promise<ScriptResult> {
    const outputs: Record<string, string> = {}
    const log: string[] = []
    let failed: string | undefined
    const core = {
      info: (message: string) => void log.push(message),
      warning: (message: string) => void log.push(`warning: ${message}`),
      setOutput: (name: string, value: unknown) => void (outputs[name] = String(value)),
      setFailed: (message: string) => void (failed = message),
    }
    const listComments = async ({issue_number}: {issue_number: number}) => {
      this.expectNumber(issue_number)
      return {data: this.comments.map((c) => ({...c}))}
    }
    const github = {
      paginate: async (method: unknown, params: {issue_number: number}) => {
        if (method !== listComments) throw new Error('the fake paginates issues.listComments only')
        return (await listComments(params)).data
      },
      rest: {
        issues: {
          listComments,
          createComment: async ({issue_number, body}: {issue_number: number; body: string}) => {
            this.expectNumber(issue_number)
            const comment = this.addComment(body, {login: 'github-actions[bot]', type: 'Bot'})
            this.writes.push({kind: 'create', id: comment.id})
            return {data: comment}
          },
          updateComment: async ({comment_id, body}: {comment_id: number; body: string}) => {
            const comment = this.comments.find((c) => c.id === comment_id)
            if (!comment) throw new Error(`no comment ${comment_id}`)
            comment.body = body
            this.writes.push({kind: 'update', id: comment_id})
            return {data: comment}
          },
        },
        pulls: {
          get: async ({pull_number}: {pull_number: number}) => {
            this.expectNumber(pull_number)
            return {data: {number: this.number, merged: this.merged}}
          },
        },
      },
    }
    const context = {
      repo: {owner: 'acme', repo: 'recordings'},
      issue: {owner: 'acme', repo: 'recordings', number: this.number},
      runId,
      serverUrl: 'https://github.com',
      sha: 'ffffffffffffffffffffffffffffffffffffffff',
      payload: {pull_request: {number: this.number, head: {sha: '0123456789abcdef0123456789abcdef01234567'}}},
    }
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]))
    Object.assign(process.env, env)
    try {
      await new AsyncFunction('require', 'github', 'context', 'core', script)(
        createRequire(import.meta.url),
        github,
        context,
        core,
      )
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k]
        else process.env[k] = v
      }
    }
    return {outputs, failed, log}
  }

  private expectNumber(n: number): void {
    if (n !== this.number) throw new Error(`the script asked for #${n}, not #${this.number}`)
  }
}
