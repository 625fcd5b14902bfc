import {describe, expect, test} from 'vitest'
import {emptyProject, runCli, type TestProject} from '../support/e2e.js'

/** The embedded sandbox's minimal config and these files. */
function project(files: Record<string, string>): TestProject {
  const p = emptyProject()
  p.write('recall.config.yaml', 'version: 1\napi:\n  base_url: sandbox\n')
  for (const [file, text] of Object.entries(files)) p.write(file, text)
  return p
}

const BASE = [
  'profiles:', //                                   1
  '  base:', //                                     2
  '    retention: { type: timed, hours: 720 }', //  3
  '    video_mixed_layout: gallery_view_v2', //     4
  '    metadata:', //                               5
  '      owner: platform', //                       6
  '      team: all', //                             7
  '',
].join('\n')

const CHAIN = [
  'profiles:', //                                                                 1
  '  team:', //                                                                   2
  '    extends: base', //                                                         3
  '    metadata: { team: sales }', //                                             4
  '    video_separate_mp4: {}', //                                                5
  '  call:', //                                                                   6
  '    extends: team', //                                                         7
  '    retention: { type: forever }', //                                          8
  '    realtime_endpoints:', //                                                   9
  '      - type: webhook', //                                                     10
  '        url: "https://hooks.example.com/r?token=${env:HOOK_TOKEN}"', //        11
  '        events: [participant_events.join]', //                                 12
  'assignments:', //                                                              13
  '  - profile: call', //                                                         14
  '    bots: [6e1f5adb-3340-4f50-900d-9aa2cdc53d6c]', //                          15
  '  - profile: call', //                                                         16
  '    bots: [0b7d2c4e-8f1a-4c3b-9e5d-2a6f8b1c3d4e]', //                          17
  '    metadata: { deal: "D-1042", team: null }', //                              18
  '',
].join('\n')

interface Origins {
  chain: Array<{profile: string; declared_at: string}>
  digest: string
  fields: Array<{path: string; value: unknown; set_at: string | null; profile: string | null}>
  assignments: Array<{
    assignment: string
    digest: string
    same_as_profile: boolean
    metadata: Array<{key: string; change: string; set_at: string}>
    reason: string
  }>
}

describe('recallctl profiles NAME --origins', () => {
  test('a 3-deep chain: each field points at the line that set it, defaults say so, and assignment digests are explained', async () => {
    const p = project({'recordings/base.yaml': BASE, 'recordings/chain.yaml': CHAIN})
    const result = await runCli(p, ['profiles', 'call', '--origins', '--json'], {env: {HOOK_TOKEN: 'super-secret-hook-token'}})
    expect(result.code, result.stderr).toBe(0)
    const [origins] = JSON.parse(result.stdout) as Origins[]
    expect(origins?.chain).toEqual([
      {profile: 'base', declared_at: 'recordings/base.yaml:2'},
      {profile: 'team', declared_at: 'recordings/chain.yaml:2'},
      {profile: 'call', declared_at: 'recordings/chain.yaml:6'},
    ])
    const at = (field: string) => {
      const found = origins?.fields.find((f) => f.path === field)
      return found && [found.set_at, found.profile]
    }
    expect(at('retention.type')).toEqual(['recordings/chain.yaml:8', 'call'])
    expect(origins?.fields.some((f) => f.path === 'retention.hours')).toBe(false)
    expect(at('video_mixed_layout')).toEqual(['recordings/base.yaml:4', 'base'])
    expect(at('metadata.owner')).toEqual(['recordings/base.yaml:6', 'base'])
    expect(at('metadata.team')).toEqual(['recordings/chain.yaml:4', 'team'])
    expect(at('video_separate_mp4')).toEqual(['recordings/chain.yaml:5', 'team'])
    expect(at('realtime_endpoints[0].url')).toEqual(['recordings/chain.yaml:11', 'call'])
    expect(at('realtime_endpoints[0].events[0]')).toEqual(['recordings/chain.yaml:12', 'call'])
    expect(at('start_recording_on')).toEqual([null, null])
    expect(at('audio_mixed_raw')).toEqual([null, null])

    const [plain, merged] = origins?.assignments ?? []
    expect(plain).toMatchObject({assignment: 'recordings/chain.yaml:14', digest: origins?.digest, same_as_profile: true})
    expect(merged).toMatchObject({assignment: 'recordings/chain.yaml:16', same_as_profile: false})
    expect(merged?.digest).not.toBe(origins?.digest)
    expect(merged?.metadata).toEqual([
      {key: 'deal', change: 'added', set_at: 'recordings/chain.yaml:18'},
      {key: 'team', change: 'removed', set_at: 'recordings/chain.yaml:18'},
    ])
    expect(result.stdout).not.toContain('super-secret-hook-token')
  })

  test('the human view names the chain, each line, and the endpoint defaults', async () => {
    const p = project({'recordings/base.yaml': BASE, 'recordings/chain.yaml': CHAIN})
    const result = await runCli(p, ['profiles', 'call', '--origins'], {env: {HOOK_TOKEN: 'super-secret-hook-token'}})
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain(
      'base (recordings/base.yaml:2) → team (recordings/chain.yaml:2) → call (recordings/chain.yaml:6)',
    )
    expect(result.stdout).toMatch(/^video_mixed_layout: "gallery_view_v2" +# recordings\/base\.yaml:4 \(base\)$/m)
    expect(result.stdout).toMatch(/^start_recording_on: "participant_join" +# endpoint default$/m)
    expect(result.stdout).not.toContain('super-secret-hook-token')
  })
})
