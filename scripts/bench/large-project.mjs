// Writes a large recallctl project: `profiles` profiles in extends chains `depth` deep, spread over
// several recordings files, and `bots` bots assigned by id (some assignments add metadata).
import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {botId} from './lib.mjs'

export const LARGE_PROJECT = {profiles: 200, depth: 5, bots: 10_000, botsPerAssignment: 10, files: 10}

/** Each level of a chain sets something different, as real profile families do. */
function profileYaml(chain, level, name, parent) {
  const lines = [`  ${name}:`]
  if (parent) lines.push(`    extends: ${parent}`)
  switch (level) {
    case 0:
      lines.push(
        `    retention: { type: timed, hours: ${720 + chain} }`,
        '    video_mixed_layout: speaker_view',
        '    start_recording_on: call_join',
        `    metadata: { managed_by: recallctl, family: f${chain} }`,
      )
      break
    case 1:
      lines.push(
        '    transcript:',
        `      provider: { recallai_streaming: { language_code: ${chain % 2 ? 'en' : 'de'} } }`,
        `    metadata: { tier: t${chain % 7} }`,
      )
      break
    case 2:
      lines.push(
        '    realtime_endpoints:',
        `      - { type: webhook, url: "https://hooks.example.com/recall/${chain}?token=\${env:HOOK_TOKEN}", events: [transcript.data] }`,
        '    participant_events: {}',
      )
      break
    case 3:
      lines.push(
        '    meeting_metadata: {}',
        `    include_bot_in_recording: { audio: ${chain % 2 === 0} }`,
        `    metadata: { region: r${chain % 4}, tier: null }`,
      )
      break
    default:
      lines.push(
        `    video_mixed_layout: ${chain % 3 === 0 ? 'gallery_view_v2' : 'speaker_view'}`,
        ...(chain % 3 === 0 ? ['    video_separate_mp4: {}'] : []),
        ...(chain % 5 === 0 ? ['    retention: { type: forever }'] : []),
        `    metadata: { channel: c${level}-${chain} }`,
      )
  }
  return lines.join('\n')
}

/** Creates the project under `dir`; returns what it holds. */
export async function writeLargeProject(dir, options = LARGE_PROJECT) {
  const {profiles, depth, bots, botsPerAssignment, files} = options
  const chains = Math.ceil(profiles / depth)
  const names = []
  await mkdir(path.join(dir, 'recordings'), {recursive: true})
  await writeFile(
    path.join(dir, 'recall.config.yaml'),
    [
      'version: 1',
      'api:',
      '  region: us-east-1',
      '  api_key_env: RECALL_API_KEY',
      'recordings: ["recordings/**/*.yaml"]',
      '',
    ].join('\n'),
  )
  const fileText = Array.from({length: files}, () => ({profiles: ['profiles:'], assignments: ['assignments:']}))
  for (let chain = 0; chain < chains; chain++) {
    const file = fileText[chain % files]
    for (let level = 0; level < depth && names.length < profiles; level++) {
      const name = `family-${chain}-level-${level}`
      file.profiles.push(profileYaml(chain, level, name, level === 0 ? undefined : `family-${chain}-level-${level - 1}`))
      names.push(name)
    }
  }
  // Bots go round-robin over every profile, so none is unused; every other assignment adds metadata.
  const assignmentCount = Math.ceil(bots / botsPerAssignment)
  let next = 0
  for (let a = 0; a < assignmentCount; a++) {
    const profile = names[a % names.length]
    const file = fileText[Math.floor(a / Math.ceil(assignmentCount / files)) % files]
    file.assignments.push(`  - profile: ${profile}`, '    bots:')
    for (let b = 0; b < botsPerAssignment && next < bots; b++) file.assignments.push(`      - ${botId('b0000000', next++)}`)
    if (a % 2 === 0) file.assignments.push(`    metadata: { deal: "D-${a}" }`)
  }
  await Promise.all(
    fileText.map((file, i) =>
      writeFile(
        path.join(dir, 'recordings', `team-${String(i).padStart(2, '0')}.yaml`),
        `${file.profiles.join('\n')}\n\n${file.assignments.join('\n')}\n`,
      ),
    ),
  )
  return {profiles: names.length, bots: next, assignments: assignmentCount, files: files + 1}
}
