// Preloaded with `node --import ./scripts/bench/module-trace.mjs bin/run.js ...`: records every module
// the process loads (ESM through a load hook, CommonJS through require.cache) and writes the list as
// JSON to the file named by RECALLCTL_BENCH_MODULES when the process exits.
import {writeFileSync} from 'node:fs'
import {createRequire, register} from 'node:module'
import {MessageChannel, receiveMessageOnPort} from 'node:worker_threads'

const out = process.env.RECALLCTL_BENCH_MODULES
const loaded = new Set()
const {port1, port2} = new MessageChannel()
port1.unref()
register('./module-trace-hooks.mjs', {parentURL: import.meta.url, data: {port: port2}, transferList: [port2]})

process.on('exit', () => {
  if (!out) return
  // Synchronous drain: 'exit' runs no more asynchronous work.
  for (let message = receiveMessageOnPort(port1); message !== undefined; message = receiveMessageOnPort(port1))
    loaded.add(message.message)
  for (const file of Object.keys(createRequire(import.meta.url).cache)) loaded.add(`file://${file}`)
  writeFileSync(out, JSON.stringify([...loaded].sort()))
})
