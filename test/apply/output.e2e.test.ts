import {describe, expect, it} from 'vitest'
import {botsInCall, isStartRecording, ndjson, runCli, testProject, testSandbox, seededProject} from '../support/e2e.js'

const HOOK_TOKEN = 'hook-secret-5f2a91'

describe('apply --json: NDJSON events on stdout', () => {
  it('streams one JSON object per line, apply_start first and apply_complete last with every result', async () => {
    const {sandbox, ids, project} = await seededProject(3)

    const apply = await runCli(project, ['apply', '--auto-approve', '--json'])
    expect(apply.code).toBe(0)
    const events = ndjson(apply.stdout)
    expect(events[0]).toMatchObject({type: 'apply_start', total: 3, starts: 3, restarts: 0})
    expect(events.at(-1)).toMatchObject({type: 'apply_complete', summary: {started: 3, restarted: 0, stale: 0, failed: 0}})
    const complete = events.at(-1) as {results: Array<{bot_id: string; outcome: string; recording_id?: string}>}
    expect(complete.results.map((r) => r.bot_id).sort()).toEqual([...ids].sort())
    for (const result of complete.results) {
      expect(result.outcome).toBe('started')
      expect(result.recording_id).toBe(sandbox.bot(result.bot_id)!.recordings[0]!.id)
    }
    expect(events.filter((e) => e['type'] === 'call_done').map((e) => e['bot_id'])).toHaveLength(3)
    // The plan shown before applying went to stderr, not into the NDJSON.
    expect(apply.stderr).toContain(ids[0])
  })

  it('reports a stale bot as call_stale and in the final results', async () => {
    const sandbox = await testSandbox()
    const [moved, kept] = botsInCall(2)
    sandbox.seed([moved!, kept!])
    const project = testProject(sandbox, [moved!.id, kept!.id])
    expect((await runCli(project, ['plan', '--out', 'plan.json'])).code).toBe(0)
    sandbox.setStatus(moved!.id, 'done')

    const apply = await runCli(project, ['apply', 'plan.json', '--json'])
    expect(apply.code).toBe(3)
    const events = ndjson(apply.stdout)
    expect(events.filter((e) => e['type'] === 'call_stale')).toMatchObject([
      {bot_id: moved!.id, reason: expect.stringContaining('done')},
    ])
    expect(events.at(-1)).toMatchObject({type: 'apply_complete', summary: {started: 1, stale: 1}})
  })

  it('says there is nothing to apply, as one JSON line, once everything is in sync', async () => {
    const {sandbox, project} = await seededProject(2)
    expect((await runCli(project, ['apply', '--auto-approve'])).code).toBe(0)
    const seq = sandbox.requests().at(-1)!.seq

    const again = await runCli(project, ['apply', '--auto-approve', '--json'])
    expect(again.code).toBe(0)
    expect(ndjson(again.stdout)).toMatchObject([{type: 'apply_complete', results: []}])
    expect(sandbox.requests(seq).filter(isStartRecording)).toEqual([])
  })
})

describe('apply without --json', () => {
  it('prints plain progress lines without a TTY and a final summary', async () => {
    const {project} = await seededProject(2)
    const apply = await runCli(project, ['apply', '--auto-approve'])
    expect(apply.code).toBe(0)
    expect(apply.stderr).toMatch(/\[1\/2\] started bot /)
    expect(apply.stderr).toMatch(/\[2\/2\] started bot /)
    expect(apply.stderr).not.toContain('\r')
    expect(apply.stdout).toMatch(/Apply complete: 2 started, 0 restarted, 0 skipped as stale, 0 failed\./)
    // The run's time against the time Recall's limits allow, not a sum of waits.
    expect(apply.stdout).toMatch(/^Took \d+\.\d s; Recall's limits allow all 2 bots' calls at once \(writes at 300\/min\)\.$/m)
  })

  it('sends the secret from the environment to Recall and prints it nowhere, nor the API key', async () => {
    const sandbox = await testSandbox()
    const [bot] = botsInCall(1)
    sandbox.seed([bot!])
    const recordings = [
      'profiles:',
      '  e2e:',
      '    retention: { type: timed, hours: 24 }',
      '    realtime_endpoints:',
      '      - { type: webhook, url: "https://hooks.example.com/r?token=${env:HOOK_TOKEN}", events: [participant_events.join] }',
      'assignments:',
      '  - profile: e2e',
      `    bots: [${bot!.id}]`,
      '',
    ].join('\n')
    const project = testProject(sandbox, [bot!.id], {recordings})
    const env = {HOOK_TOKEN}

    const apply = await runCli(project, ['apply', '--auto-approve'], {env})
    const json = await runCli(project, ['apply', '--auto-approve', '--json'], {env})
    expect(apply.code).toBe(0)
    expect(json.code).toBe(0)
    const [sent] = sandbox.requests().filter(isStartRecording)
    expect(sent!.body).toMatchObject({
      realtime_endpoints: [{url: `https://hooks.example.com/r?token=${HOOK_TOKEN}`}],
      metadata: {recallctl_profile: 'e2e'},
    })
    for (const output of [apply.stdout, apply.stderr, json.stdout, json.stderr]) {
      expect(output).not.toContain(HOOK_TOKEN)
      expect(output).not.toContain(sandbox.apiKey)
    }
  })
})
