// Requests per second the Recall sandbox serves on loopback, rate limits off.
// Needs the build: `npm run build && node scripts/bench-sandbox.mjs [--seconds N] [--connections N]`.
// The client runs in this same process (undici keep-alive pool), so the figure includes its cost:
// on a 2-core machine the server and the client share the cores. With 2,000 bots each in-call bot
// gets a few recordings during the run, as in a real workspace (a bot with hundreds of recordings
// would make every response, and so the benchmark, slower).
import {randomUUID} from 'node:crypto'
import {parseArgs} from 'node:util'
import {Pool} from 'undici'

const {values} = parseArgs({
  options: {
    seconds: {type: 'string', default: '5'},
    connections: {type: 'string', default: '16'},
    bots: {type: 'string', default: '2000'},
  },
})
const seconds = Number(values.seconds)
const connections = Number(values.connections)
const botCount = Number(values.bots)

let sandboxModule
try {
  sandboxModule = await import('../dist/sandbox/index.js')
} catch (error) {
  console.error(`Cannot load dist/sandbox/index.js (${error.message}). Run "npm run build" first.`)
  process.exit(1)
}
const {startSandbox} = sandboxModule

const statuses = ['in_call_recording', 'in_call_not_recording', 'ready', 'done']
const bots = Array.from({length: botCount}, (_, i) => ({
  id: randomUUID(),
  status: statuses[i % statuses.length],
  metadata: {team: i % 3 === 0 ? 'sales' : 'support'},
  recording_config: {metadata: {recallctl_digest: 'v1:0123456789abcdef0123456789abcdef'}},
}))
const inCall = bots.filter((b) => b.status.startsWith('in_call')).map((b) => b.id)

const sandbox = await startSandbox({rateLimits: false, bots, requestLogLimit: 10_000})
const pool = new Pool(sandbox.url, {connections, pipelining: 1})
const auth = {authorization: `Token ${sandbox.apiKey}`}
const body = JSON.stringify({
  transcript: {provider: {recallai_streaming: {language_code: 'en'}}},
  retention: {type: 'timed', hours: 720},
  video_mixed_layout: 'speaker_view',
  metadata: {recallctl_digest: 'v1:0123456789abcdef0123456789abcdef', recallctl_profile: 'sales-call'},
})

const workloads = {
  'retrieve bot (GET /bot/{id}/)': (i) => ({method: 'GET', path: `/api/v1/bot/${bots[i % bots.length].id}/`, headers: auth}),
  'start_recording (POST, validated body, idempotency key)': (i) => ({
    method: 'POST',
    path: `/api/v1/bot/${inCall[i % inCall.length]}/start_recording/`,
    headers: {...auth, 'content-type': 'application/json', 'idempotency-key': `bench-${i}`},
    body,
  }),
  'mix: 70% retrieve, 20% start_recording, 10% list bots (page of 50)': (i) => {
    const r = i % 10
    if (r < 7) return workloads['retrieve bot (GET /bot/{id}/)'](i)
    if (r < 9) return workloads['start_recording (POST, validated body, idempotency key)'](i)
    return {method: 'GET', path: '/api/v1/bot/?status=in_call_recording&metadata__team=sales', headers: auth}
  },
}

async function run(name, make) {
  // Each workload starts from the seeded world, so one workload's recordings do not slow the next.
  sandbox.reset(bots)
  let next = 0
  let done = 0
  let failed = 0
  const deadline = performance.now() + seconds * 1000
  const worker = async () => {
    while (performance.now() < deadline) {
      const {statusCode, body: responseBody} = await pool.request(make(next++))
      await responseBody.dump()
      if (statusCode >= 300) failed++
      done++
    }
  }
  // Warm up (JIT, connections), then measure.
  await Promise.all(Array.from({length: connections}, () => pool.request(make(next++)).then((r) => r.body.dump())))
  const started = performance.now()
  await Promise.all(Array.from({length: connections * 2}, worker))
  const elapsed = (performance.now() - started) / 1000
  const rps = done / elapsed
  console.log(
    `${name}: ${Math.round(rps).toLocaleString('en-US')} req/s (${done} requests in ${elapsed.toFixed(1)} s${failed ? `, ${failed} not 2xx` : ''})`,
  )
  return rps
}

console.log(
  `Recall sandbox on loopback, rate limits off, ${botCount} bots, ${connections} keep-alive connections, ${seconds} s per workload`,
)
const results = []
for (const [name, make] of Object.entries(workloads)) results.push(await run(name, make))
await pool.close()
await sandbox.close()
const worst = Math.min(...results)
console.log(
  `Lowest: ${Math.round(worst).toLocaleString('en-US')} req/s (target: 2,000 req/s) ${worst >= 2000 ? 'OK' : 'BELOW TARGET'}`,
)
