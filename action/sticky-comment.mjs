// The action's comment step: with `comment: true` and `command: plan` on a pull request, posts plan.md
// as a comment, or updates the comment posted before, found by its hidden marker (one comment per pull
// request, however many pushes). Talks to GitHub only through `gh api` (preinstalled on GitHub's
// runners), with the token in GH_TOKEN (given to this step alone).
import {execFileSync} from 'node:child_process'
import {appendFileSync, existsSync, readFileSync} from 'node:fs'

const MARKER = '<!-- recallctl-plan'
const env = process.env

function main() {
  if (env.RECALLCTL_ACTION_COMMENT !== 'true') return
  if (env.RECALLCTL_ACTION_COMMAND !== 'plan') {
    console.log('::notice title=recallctl::comment is for command: plan; no comment for apply.')
    return
  }
  const number = env.PR_NUMBER
  if (!number) {
    console.log('::notice title=recallctl::not a pull request: the plan is in the step summary, not in a comment.')
    return
  }
  const repo = env.GITHUB_REPOSITORY
  const runUrl = `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${repo}/actions/runs/${env.GITHUB_RUN_ID}`
  let plan = existsSync('plan.md') ? readFileSync('plan.md', 'utf8') : ''
  if (!plan.startsWith(MARKER)) {
    // No plan could be made (invalid files, no API key...): say so, in the same comment.
    plan = `${MARKER} v1 digest=none -->\n\n### recallctl plan\n\n❌ recallctl could not make a plan (exit ${env.RECALLCTL_ACTION_EXIT_CODE || 'none'}). See the [workflow run](${runUrl}) for the errors.\n`
  }
  // The hidden run id lets a later workflow download this run's plan.json artifact.
  const body =
    `${plan}\n---\n<sub>[workflow run](${runUrl})${env.PR_HEAD_SHA ? ` · commit ${env.PR_HEAD_SHA.slice(0, 7)}` : ''}</sub>\n` +
    `<!-- recallctl-plan-run run_id=${env.GITHUB_RUN_ID} -->\n`

  const gh = (args, input) => execFileSync('gh', ['api', ...args], {encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'inherit']})
  let mine
  for (let page = 1; !mine; page++) {
    const comments = JSON.parse(gh([`repos/${repo}/issues/${number}/comments?per_page=100&page=${page}`]))
    if (!Array.isArray(comments) || comments.length === 0) break
    mine = comments.find((c) => c.user?.type === 'Bot' && typeof c.body === 'string' && c.body.startsWith(MARKER))
  }
  const payload = JSON.stringify({body})
  const written = mine
    ? JSON.parse(gh(['-X', 'PATCH', `repos/${repo}/issues/comments/${mine.id}`, '--input', '-'], payload))
    : JSON.parse(gh(['-X', 'POST', `repos/${repo}/issues/${number}/comments`, '--input', '-'], payload))
  console.log(`${mine ? 'Updated' : 'Posted'} the plan comment ${written.html_url ?? ''}`)
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `comment-url=${written.html_url ?? ''}\n`)
}

try {
  main()
} catch (error) {
  // A comment that cannot be posted (a fork's read-only token) must not hide the plan's own result.
  console.log(`::warning title=recallctl::the plan comment could not be posted: ${error.message.split('\n')[0]}`)
}
