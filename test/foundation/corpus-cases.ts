import {withConfig, yaml, type ProjectFiles, type RunOptions} from './support/project.js'

/**
 * One malformed project and every diagnostic it must produce. `at` is `file:line:column` (1-based, as
 * an editor shows it); `message` holds parts of the message, each of which must appear in it. A run may
 * produce nothing beyond what is listed: no extra error, and no extra warning unless its code is in
 * `ignore`.
 */
export interface CorpusCase {
  name: string
  files: ProjectFiles
  options?: RunOptions
  expected: ExpectedDiagnostic[]
  ignore?: string[]
}

export interface ExpectedDiagnostic {
  at: string
  severity: 'error' | 'warning'
  code: string
  message: string[]
  /** `file:line:column` of each related place, when the diagnostic must name others. */
  related?: string[]
}

const CONFIG = 'recall.config.yaml'
const A = 'recordings/a.yaml'
const B = 'recordings/b.yaml'

const BOT1 = '6e1f5adb-3340-4f50-900d-9aa2cdc53d6c'
const BOT2 = '0b7d2c4e-8f1a-4c3b-9e5d-2a6f8b1c3d4e'

/** A used, retention-setting profile `p` and its assignment: the frame most cases put one mistake in. */
const profileFile = (...profileLines: string[]): string =>
  yaml(
    'profiles:',
    '  p:',
    '    retention: {type: forever}',
    ...profileLines,
    'assignments:',
    `  - {profile: p, bots: [${BOT1}]}`,
  )

/** Recordings file that is valid and uses profile `p`; for cases about the config. */
const VALID_RECORDINGS = profileFile()

export const CORPUS: CorpusCase[] = [
  // ---------------------------------------------------------------------------------------- YAML
  {
    name: 'YAML syntax error in a recordings file (unclosed flow map)',
    files: withConfig({[A]: yaml('profiles:', '  p:', '    retention: {type: forever', 'assignments: []')}),
    expected: [{at: `${A}:4:1`, severity: 'error', code: 'yaml_syntax', message: ['YAML syntax error', 'Fix the YAML']}],
  },
  {
    name: 'YAML syntax error in the config (bad indentation)',
    files: withConfig({[A]: VALID_RECORDINGS}, yaml('version: 1', 'api:', '  base_url: sandbox', ' recordings: [x]')),
    expected: [{at: `${CONFIG}:4:1`, severity: 'error', code: 'yaml_syntax', message: ['YAML syntax error', 'same column']}],
  },
  {
    name: 'duplicate key in a profile',
    files: withConfig({[A]: profileFile('    video_mixed_layout: speaker_view', '    video_mixed_layout: gallery_view')}),
    expected: [
      {
        at: `${A}:5:5`,
        severity: 'error',
        code: 'duplicate_key',
        message: ['"video_mixed_layout" appears twice', 'at lines 4 and 5'],
      },
    ],
  },

  // ---------------------------------------------------------------------------------- unknown keys
  {
    name: 'unknown top-level key in the config, with did-you-mean',
    files: withConfig(
      {[A]: VALID_RECORDINGS},
      yaml('version: 1', 'api:', '  base_url: sandbox', 'recordigns: ["recordings/*.yaml"]'),
    ),
    expected: [
      {
        at: `${CONFIG}:4:1`,
        severity: 'error',
        code: 'unknown_key',
        message: ['unknown key "recordigns"', 'Did you mean "recordings"?'],
      },
    ],
  },
  {
    name: 'unknown top-level key in a recordings file, with did-you-mean',
    files: withConfig({[A]: VALID_RECORDINGS, [B]: yaml('profile:', '  q: {}')}),
    expected: [
      {at: `${B}:1:1`, severity: 'error', code: 'unknown_key', message: ['unknown key "profile"', 'Did you mean "profiles"?']},
    ],
  },
  {
    name: 'unknown key in a profile, with did-you-mean',
    files: withConfig({[A]: profileFile('    transcrpt: null')}),
    expected: [
      {
        at: `${A}:4:5`,
        severity: 'error',
        code: 'unknown_key',
        message: ['profile "p"', 'unknown key "transcrpt"', 'Did you mean "transcript"?'],
      },
    ],
  },
  {
    name: 'unknown option of a transcript provider, with did-you-mean',
    files: withConfig({[A]: profileFile('    transcript:', '      provider:', '        recallai_streaming: {languge_code: en}')}),
    expected: [
      {
        at: `${A}:6:30`,
        severity: 'error',
        code: 'unknown_key',
        message: ['unknown key "languge_code" in transcript.provider.recallai_streaming', 'Did you mean "language_code"?'],
      },
    ],
  },
  {
    name: 'unknown key in a real-time endpoint, with did-you-mean',
    files: withConfig({
      [A]: profileFile(
        '    realtime_endpoints:',
        '      - {type: webhook, url: "https://hooks.example.com/r", evnts: [participant_events.join]}',
      ),
    }),
    expected: [
      {
        at: `${A}:5:61`,
        severity: 'error',
        code: 'unknown_key',
        message: ['unknown key "evnts" in realtime_endpoints[0]', 'Did you mean "events"?'],
      },
    ],
  },
  {
    name: 'unknown key in config api, with did-you-mean',
    files: withConfig({[A]: VALID_RECORDINGS}, yaml('version: 1', 'api:', '  regoin: us-east-1')),
    // The typo is the whole problem: no second error saying api has neither region nor base_url.
    expected: [
      {
        at: `${CONFIG}:3:3`,
        severity: 'error',
        code: 'unknown_key',
        message: ['unknown key "regoin" in api', 'Did you mean "region"?'],
      },
    ],
  },
  {
    name: 'unknown key in config rate_limits, with did-you-mean',
    files: withConfig(
      {[A]: VALID_RECORDINGS},
      yaml('version: 1', 'api:', '  base_url: sandbox', 'rate_limits:', '  list_bot: 30'),
    ),
    expected: [
      {
        at: `${CONFIG}:5:3`,
        severity: 'error',
        code: 'unknown_key',
        message: ['unknown key "list_bot" in rate_limits', 'Did you mean "list_bots"?'],
      },
    ],
  },

  // ------------------------------------------------------------------------------------ wrong types
  {
    name: 'number where text is expected (endpoint url)',
    files: withConfig({
      [A]: profileFile('    realtime_endpoints:', '      - type: webhook', '        url: 42', '        events: []'),
    }),
    expected: [
      {
        at: `${A}:6:14`,
        severity: 'error',
        code: 'wrong_type',
        message: ['realtime_endpoints[0].url', 'expected text, found 42 (a number)', 'Quote it'],
      },
    ],
  },
  {
    name: 'text where a number is expected (retention hours), says to remove the quotes',
    files: withConfig({
      [A]: yaml(
        'profiles:',
        '  p:',
        '    retention: {type: timed, hours: "720"}',
        'assignments:',
        `  - {profile: p, bots: [${BOT1}]}`,
      ),
    }),
    expected: [
      {
        at: `${A}:3:37`,
        severity: 'error',
        code: 'wrong_type',
        message: ['retention.hours: expected a number, found "720" (text)', 'Remove the quotes: 720'],
      },
    ],
  },
  {
    name: 'text where a number is expected (config rate limit)',
    files: withConfig(
      {[A]: VALID_RECORDINGS},
      yaml('version: 1', 'api:', '  base_url: sandbox', 'rate_limits:', '  start_recording: "100"'),
    ),
    expected: [
      {
        at: `${CONFIG}:5:20`,
        severity: 'error',
        code: 'wrong_type',
        message: ['rate_limits.start_recording: expected a number, found "100"', 'Remove the quotes: 100'],
      },
    ],
  },
  {
    name: 'a list where a map is expected (include_bot_in_recording)',
    files: withConfig({[A]: profileFile('    include_bot_in_recording: [audio]')}),
    expected: [
      {
        at: `${A}:4:31`,
        severity: 'error',
        code: 'wrong_type',
        message: ['include_bot_in_recording: expected a map, found a list'],
      },
    ],
  },
  {
    name: 'a list where a map is expected (profiles)',
    files: withConfig({[A]: VALID_RECORDINGS, [B]: yaml('profiles: [q]')}),
    expected: [{at: `${B}:1:11`, severity: 'error', code: 'wrong_type', message: ['profiles: expected a map, found a list']}],
  },
  {
    name: 'a rate limit that is not a positive whole number',
    files: withConfig(
      {[A]: VALID_RECORDINGS},
      yaml('version: 1', 'api:', '  base_url: sandbox', 'rate_limits: {retrieve_bot: 0}'),
    ),
    expected: [
      {
        at: `${CONFIG}:4:29`,
        severity: 'error',
        code: 'out_of_range',
        message: ['rate_limits.retrieve_bot: 0 is out of range', 'more than 0'],
      },
    ],
  },

  // ------------------------------------------------------------------------------------- bad enums
  {
    name: 'bad layout enum lists the allowed values, with did-you-mean',
    files: withConfig({[A]: profileFile('    video_mixed_layout: speakerview')}),
    expected: [
      {
        at: `${A}:4:25`,
        severity: 'error',
        code: 'bad_enum',
        message: [
          'video_mixed_layout: "speakerview" is not allowed',
          'Did you mean "speaker_view"?',
          'Write one of: speaker_view, gallery_view, gallery_view_v2, audio_only',
        ],
      },
    ],
  },
  {
    name: 'bad retention type lists the allowed values',
    files: withConfig({
      [A]: yaml('profiles:', '  p:', '    retention: {type: always}', 'assignments:', `  - {profile: p, bots: [${BOT1}]}`),
    }),
    expected: [
      {
        at: `${A}:3:23`,
        severity: 'error',
        code: 'bad_enum',
        message: ['retention.type: "always" is not allowed', 'Write one of: timed, forever'],
      },
    ],
  },
  {
    name: 'bad region lists the allowed values',
    files: withConfig({[A]: VALID_RECORDINGS}, yaml('version: 1', 'api:', '  region: us-east-3')),
    expected: [
      {
        at: `${CONFIG}:3:11`,
        severity: 'error',
        code: 'bad_enum',
        message: ['api.region: "us-east-3" is not allowed', 'Write one of: us-west-2, us-east-1, eu-central-1, ap-northeast-1'],
      },
    ],
  },
  {
    name: 'bad bot status in a match selector lists the allowed values',
    files: withConfig({
      [A]: yaml(
        'profiles:',
        '  p:',
        '    retention: {type: forever}',
        'assignments:',
        '  - profile: p',
        '    match: {status: [in_call_recordin]}',
      ),
    }),
    expected: [
      {
        at: `${A}:6:22`,
        severity: 'error',
        code: 'bad_enum',
        message: [
          'match.status[0]: "in_call_recordin" is not allowed',
          'Did you mean "in_call_recording"?',
          'in_call_not_recording',
          'joining_call',
        ],
      },
    ],
  },
  {
    name: 'bad real-time event lists the events of that endpoint type',
    files: withConfig({
      [A]: profileFile(
        '    realtime_endpoints:',
        '      - {type: webhook, url: "https://hooks.example.com/r", events: [participant_events.joined]}',
      ),
    }),
    expected: [
      {
        at: `${A}:5:70`,
        severity: 'error',
        code: 'bad_enum',
        message: [
          'realtime_endpoints[0].events[0]: "participant_events.joined" is not allowed',
          'Did you mean "participant_events.join"?',
          'transcript.data',
        ],
      },
    ],
  },
  {
    name: 'bad real-time endpoint type lists the types',
    files: withConfig({
      [A]: profileFile('    realtime_endpoints:', '      - {type: webhok, url: "https://hooks.example.com/r", events: []}'),
    }),
    expected: [
      {
        at: `${A}:5:16`,
        severity: 'error',
        code: 'bad_enum',
        message: [
          'realtime_endpoints[0].type: "webhok" is not allowed',
          'Did you mean "webhook"?',
          'rtmp, websocket, webhook, desktop_sdk_callback',
        ],
      },
    ],
  },

  // ----------------------------------------------------------------------------------- extends
  {
    name: 'missing parent in extends, with did-you-mean',
    files: withConfig({[A]: profileFile('    extends: bse'), [B]: yaml('profiles:', '  base: {retention: {type: forever}}')}),
    expected: [
      {
        at: `${A}:4:14`,
        severity: 'error',
        code: 'missing_parent',
        message: ['profile "p" extends "bse", which is not declared', 'Did you mean "base"?'],
      },
    ],
    ignore: ['unused_profile'],
  },
  {
    name: 'cycle of two profiles across two files names both lines',
    files: withConfig({
      [A]: yaml(
        'profiles:',
        '  p:',
        '    extends: q',
        '    retention: {type: forever}',
        'assignments:',
        `  - {profile: p, bots: [${BOT1}]}`,
      ),
      [B]: yaml('profiles:', '  q:', '    extends: p'),
    }),
    expected: [
      {
        at: `${A}:3:14`,
        severity: 'error',
        code: 'extends_cycle',
        message: [`extends chain loops: "p" (${A}:3:14) extends "q" (${B}:3:14) extends "p" again`],
        related: [`${A}:3:14`, `${B}:3:14`],
      },
    ],
  },
  {
    name: 'cycle of three profiles across two files names every line',
    files: withConfig({
      [A]: yaml(
        'profiles:',
        '  a:',
        '    extends: c',
        '  b:',
        '    extends: a',
        'assignments:',
        `  - {profile: a, bots: [${BOT1}]}`,
      ),
      [B]: yaml('# the third link', 'profiles:', '  c:', '    retention: {type: forever}', '    extends: b'),
    }),
    expected: [
      {
        at: `${A}:3:14`,
        severity: 'error',
        code: 'extends_cycle',
        message: [`"a" (${A}:3:14) extends "c" (${B}:5:14) extends "b" (${A}:5:14) extends "a" again`],
        related: [`${A}:3:14`, `${B}:5:14`, `${A}:5:14`],
      },
    ],
  },
  {
    name: 'a profile that extends itself',
    files: withConfig({[A]: profileFile('    extends: p')}),
    expected: [{at: `${A}:4:14`, severity: 'error', code: 'extends_cycle', message: [`"p" (${A}:4:14) extends "p" again`]}],
  },

  // -------------------------------------------------------------------------------- declarations
  {
    name: 'the same profile declared in two files names both places',
    files: withConfig({[A]: VALID_RECORDINGS, [B]: yaml('', 'profiles:', '  p: {retention: {type: forever}}')}),
    expected: [
      {
        at: `${B}:3:3`,
        severity: 'error',
        code: 'duplicate_profile',
        message: [`profile "p" is declared twice: here and at ${A}:2:3`],
        related: [`${A}:2:3`],
      },
    ],
  },
  {
    name: 'a bot in two assignments across files names both places',
    files: withConfig({
      [A]: VALID_RECORDINGS,
      [B]: yaml('assignments:', '  - profile: p', '    bots:', `      - ${BOT2}`, `      - ${BOT1.toUpperCase()}`),
    }),
    expected: [
      {
        at: `${B}:5:9`,
        severity: 'error',
        code: 'bot_claimed_twice',
        message: [`bot ${BOT1} is in two assignments: ${A}:5`, `at ${A}:5:25`, `and ${B}:2`],
        related: [`${A}:5:25`],
      },
    ],
  },
  {
    name: 'an assignment with both bots and match',
    files: withConfig({
      [A]: yaml(
        'profiles:',
        '  p: {retention: {type: forever}}',
        'assignments:',
        '  - profile: p',
        `    bots: [${BOT1}]`,
        '    match: {metadata: {team: x}}',
      ),
    }),
    expected: [
      {
        at: `${A}:6:5`,
        severity: 'error',
        code: 'bots_and_match',
        message: [`assignment ${A}:4 has both bots and match`, 'Keep one'],
      },
    ],
  },
  {
    name: 'an assignment with neither bots nor match',
    files: withConfig({
      [A]: yaml('profiles:', '  p: {retention: {type: forever}}', 'assignments:', '  - profile: p', '    metadata: {team: x}'),
    }),
    expected: [{at: `${A}:4:5`, severity: 'error', code: 'no_selector', message: [`assignment ${A}:4 needs bots`, 'or match']}],
  },
  {
    name: 'an invalid bot UUID',
    files: withConfig({
      [A]: yaml(
        'profiles:',
        '  p: {retention: {type: forever}}',
        'assignments:',
        '  - profile: p',
        `    bots: [${BOT1}, 6e1f5adb-3340-4f50-900d]`,
      ),
    }),
    expected: [
      {
        at: `${A}:5:50`,
        severity: 'error',
        code: 'bad_format',
        message: ['bots[1]: "6e1f5adb-3340-4f50-900d" is not a bot id', 'UUIDs like'],
      },
    ],
  },
  {
    name: 'an assignment of an unknown profile, with did-you-mean',
    files: withConfig({
      [A]: yaml(
        'profiles:',
        '  sales-call: {retention: {type: forever}}',
        'assignments:',
        '  - profile: sales-cal',
        `    bots: [${BOT1}]`,
      ),
    }),
    expected: [
      {
        at: `${A}:4:14`,
        severity: 'error',
        code: 'unknown_profile',
        message: [`assignment ${A}:4 uses profile "sales-cal", which is not declared`, 'Did you mean "sales-call"?'],
      },
      {at: `${A}:2:3`, severity: 'warning', code: 'unused_profile', message: ['profile "sales-call" is not used']},
    ],
  },

  // ------------------------------------------------------------------------------------ ${env:}
  {
    name: 'an unset ${env:} variable is a warning for validate',
    files: withConfig({
      [A]: profileFile(
        '    realtime_endpoints:',
        '      - {type: webhook, url: "https://h.example.com/r?t=${env:HOOK_TOKEN}", events: []}',
      ),
    }),
    options: {mode: 'validate', env: {}},
    expected: [{at: `${A}:5:30`, severity: 'warning', code: 'env_unset', message: ['profile "p"', 'HOOK_TOKEN is not set']}],
  },
  {
    name: 'an unset ${env:} variable is an error for plan',
    files: withConfig({
      [A]: profileFile(
        '    realtime_endpoints:',
        '      - {type: webhook, url: "https://h.example.com/r?t=${env:HOOK_TOKEN}", events: []}',
      ),
    }),
    options: {mode: 'plan', env: {OTHER: 'x'}},
    expected: [
      {
        at: `${A}:5:30`,
        severity: 'error',
        code: 'env_unset',
        message: ['HOOK_TOKEN is not set', 'Set it before running plan or apply'],
      },
    ],
  },
  {
    name: 'an unset ${env:} variable in assignment metadata',
    files: withConfig({
      [A]: yaml(
        'profiles:',
        '  p: {retention: {type: forever}}',
        'assignments:',
        `  - {profile: p, bots: [${BOT1}], metadata: {deal: "\${env:DEAL}"}}`,
      ),
    }),
    options: {mode: 'plan'},
    expected: [{at: `${A}:4:81`, severity: 'error', code: 'env_unset', message: [`assignment ${A}:4`, 'DEAL is not set']}],
  },

  // ----------------------------------------------------------------------------------- metadata
  {
    name: 'a reserved recallctl_ metadata key in a profile',
    files: withConfig({[A]: profileFile('    metadata: {recallctl_digest: x}')}),
    expected: [
      {
        at: `${A}:4:16`,
        severity: 'error',
        code: 'reserved_metadata_key',
        message: ['profile "p"', 'metadata key "recallctl_digest" uses the reserved prefix'],
      },
    ],
  },
  {
    name: 'a reserved recallctl_ metadata key in an assignment',
    files: withConfig({
      [A]: yaml(
        'profiles:',
        '  p: {retention: {type: forever}}',
        'assignments:',
        '  - profile: p',
        `    bots: [${BOT1}]`,
        '    metadata:',
        '      recallctl_profile: other',
      ),
    }),
    expected: [
      {
        at: `${A}:7:7`,
        severity: 'error',
        code: 'reserved_metadata_key',
        message: [`assignment ${A}:4`, '"recallctl_profile" uses the reserved prefix', 'Rename the key'],
      },
    ],
  },
  {
    name: 'a metadata number says to quote it',
    files: withConfig({[A]: profileFile('    metadata: {year: 2024}')}),
    expected: [
      {
        at: `${A}:4:22`,
        severity: 'error',
        code: 'metadata_not_text',
        message: ['metadata.year is 2024 (a number)', 'Quote it: year: "2024"'],
      },
    ],
  },
  {
    name: 'a metadata boolean in an artifact says to quote it',
    files: withConfig({[A]: profileFile('    audio_mixed_mp3: {metadata: {archived: true}}')}),
    expected: [
      {
        at: `${A}:4:44`,
        severity: 'error',
        code: 'metadata_not_text',
        message: ['audio_mixed_mp3.metadata.archived is true (true/false)', 'Quote it: archived: "true"'],
      },
    ],
  },

  // -------------------------------------------------------------------------------- warnings only
  {
    name: 'a profile that no assignment uses is a warning',
    files: withConfig({[A]: profileFile(), [B]: yaml('profiles:', '  spare: {retention: {type: forever}}')}),
    expected: [
      {at: `${B}:2:3`, severity: 'warning', code: 'unused_profile', message: ['profile "spare" is not used by any assignment']},
    ],
  },
  {
    name: 'a chain that leaves retention unset is a warning, at the profile',
    files: withConfig({
      [A]: yaml(
        'profiles:',
        '  base:',
        '    video_mixed_layout: gallery_view',
        'assignments:',
        `  - {profile: child, bots: [${BOT1}]}`,
      ),
      [B]: yaml('profiles:', '  child:', '    extends: base'),
    }),
    expected: [
      {
        at: `${A}:2:3`,
        severity: 'warning',
        code: 'retention_unset',
        message: ['profile "base" leaves retention unset', '168 hours'],
      },
      {
        at: `${B}:2:3`,
        severity: 'warning',
        code: 'retention_unset',
        message: ['profile "child" (extends "base") leaves retention unset'],
      },
    ],
  },

  // -------------------------------------------------------------------------------------- config
  {
    name: 'api with both region and base_url',
    files: withConfig({[A]: VALID_RECORDINGS}, yaml('version: 1', 'api:', '  region: us-east-1', '  base_url: sandbox')),
    expected: [
      {
        at: `${CONFIG}:4:13`,
        severity: 'error',
        code: 'bad_api_endpoint',
        message: ['api has both region (us-east-1) and base_url', 'keep only one'],
      },
    ],
  },
  {
    name: 'api with neither region nor base_url',
    files: withConfig({[A]: VALID_RECORDINGS}, yaml('version: 1', 'api:', '  api_key_env: RECALL_KEY')),
    expected: [
      {
        at: `${CONFIG}:3:3`,
        severity: 'error',
        code: 'bad_api_endpoint',
        message: [
          'api has neither region nor base_url',
          'api.region (one of us-west-2, us-east-1, eu-central-1, ap-northeast-1)',
          'api.base_url: sandbox',
        ],
      },
    ],
  },
  {
    name: 'a config without version',
    files: withConfig({[A]: VALID_RECORDINGS}, yaml('api:', '  base_url: sandbox')),
    expected: [
      {
        at: `${CONFIG}:1:1`,
        severity: 'error',
        code: 'missing_key',
        message: ['the file is missing the required key "version" (write version: 1)'],
      },
    ],
  },

  // ------------------------------------------------------------- rules between fields, on merged chains
  {
    name: 'separate video needs gallery_view_v2: layout from the parent file, artifact from the child file',
    files: withConfig({
      [A]: yaml('profiles:', '  base:', '    retention: {type: forever}', '    video_mixed_layout: gallery_view'),
      [B]: yaml(
        'profiles:',
        '  child:',
        '    extends: base',
        '    video_separate_mp4: {}',
        'assignments:',
        `  - {profile: child, bots: [${BOT1}]}`,
      ),
    }),
    expected: [
      {
        at: `${B}:4:25`,
        severity: 'error',
        code: 'separate_video_needs_gallery_view_v2',
        message: [
          'profile "child" (extends "base")',
          'video_separate_mp4 needs video_mixed_layout: gallery_view_v2 (it is gallery_view)',
          `video_mixed_layout set at ${A}:4:25`,
        ],
        related: [`${A}:4:25`],
      },
    ],
  },
  {
    name: 'rtmp needs video_mixed_flv: flv turned off in the grandparent, endpoint in the grandchild',
    files: withConfig({
      [A]: yaml(
        'profiles:',
        '  root:',
        '    retention: {type: forever}',
        '    video_mixed_flv: null',
        '  mid:',
        '    extends: root',
      ),
      [B]: yaml(
        'profiles:',
        '  leaf:',
        '    extends: mid',
        '    realtime_endpoints:',
        '      - {type: rtmp, url: "rtmp://live.example.com/app/k", events: [video_mixed_flv.data]}',
        'assignments:',
        `  - {profile: leaf, bots: [${BOT1}]}`,
      ),
    }),
    expected: [
      {
        at: `${B}:5:9`,
        severity: 'error',
        code: 'rtmp_needs_video_mixed_flv',
        message: [
          'profile "leaf" (extends "mid" → "root")',
          'realtime_endpoints[0] (rtmp) needs video_mixed_flv on',
          `video_mixed_flv set at ${A}:4:22`,
        ],
        related: [`${A}:4:22`],
      },
    ],
  },
  {
    name: 'rtmp endpoint events must be exactly video_mixed_flv.data',
    files: withConfig({
      [A]: profileFile(
        '    video_mixed_flv: {}',
        '    realtime_endpoints:',
        '      - {type: rtmp, url: "rtmp://live.example.com/app/k", events: []}',
      ),
    }),
    expected: [
      {
        at: `${A}:6:68`,
        severity: 'error',
        code: 'rtmp_events_exactly_video_mixed_flv_data',
        message: ['events must be exactly [video_mixed_flv.data] (they are [])'],
      },
    ],
  },
  {
    name: 'transcript events need a transcript: transcript turned off in the parent file, event in the child file',
    files: withConfig({
      [A]: yaml(
        'profiles:',
        '  base:',
        '    retention: {type: forever}',
        '    transcript: {provider: {recallai_streaming: {}}}',
        '  quiet:',
        '    extends: base',
        '    transcript: null',
      ),
      [B]: yaml(
        'profiles:',
        '  hooked:',
        '    extends: quiet',
        '    realtime_endpoints:',
        '      - type: webhook',
        '        url: https://hooks.example.com/r',
        '        events: [participant_events.join, transcript.data]',
        'assignments:',
        `  - {profile: hooked, bots: [${BOT1}]}`,
      ),
    }),
    expected: [
      {
        at: `${B}:7:43`,
        severity: 'error',
        code: 'transcript_event_needs_transcript',
        message: [
          'profile "hooked" (extends "quiet" → "base")',
          'realtime_endpoints[0] subscribes to transcript.data, which needs a transcript',
          `transcript set at ${A}:7:17`,
        ],
        related: [`${A}:7:17`],
      },
    ],
  },
  {
    name: 'low-latency recallai_streaming needs language_code en (a child provider replaces the parent one whole)',
    files: withConfig({
      [A]: yaml(
        'profiles:',
        '  base:',
        '    retention: {type: forever}',
        '    transcript: {provider: {recallai_streaming: {language_code: en}}}',
      ),
      [B]: yaml(
        'profiles:',
        '  fast:',
        '    extends: base',
        '    transcript:',
        '      provider:',
        '        recallai_streaming: {mode: prioritize_low_latency}',
        'assignments:',
        `  - {profile: fast, bots: [${BOT1}]}`,
      ),
    }),
    expected: [
      {
        at: `${B}:6:29`,
        severity: 'error',
        code: 'low_latency_needs_language_en',
        message: [
          'profile "fast" (extends "base")',
          'mode: prioritize_low_latency needs language_code: en (it is auto, the default)',
          `transcript.provider.recallai_streaming.mode set at ${B}:6:36`,
        ],
        related: [`${B}:6:36`],
      },
    ],
  },
  {
    name: 'an <artifact>.data event whose artifact is off: a warning naming the line that turned it off',
    files: withConfig({
      [A]: yaml('profiles:', '  base:', '    retention: {type: forever}', '    audio_mixed_raw: null'),
      [B]: yaml(
        'profiles:',
        '  stream:',
        '    extends: base',
        '    realtime_endpoints:',
        '      - {type: websocket, url: "wss://ws.example.com/a", events: [audio_mixed_raw.data]}',
        'assignments:',
        `  - {profile: stream, bots: [${BOT1}]}`,
      ),
    }),
    expected: [
      {
        at: `${B}:5:67`,
        severity: 'warning',
        code: 'artifact_event_needs_artifact',
        message: ['subscribes to audio_mixed_raw.data, but audio_mixed_raw is off', `audio_mixed_raw set at ${A}:4:22`],
        related: [`${A}:4:22`],
      },
    ],
  },
  {
    name: 'a real-time endpoint on localhost is an error that does not print the path or query',
    files: withConfig({
      [A]: profileFile(
        '    realtime_endpoints:',
        '      - {type: webhook, url: "http://localhost:8080/hook?token=abc", events: []}',
      ),
    }),
    expected: [
      {
        at: `${A}:5:30`,
        severity: 'error',
        code: 'realtime_endpoint_on_localhost',
        message: ['realtime_endpoints[0].url is on http://localhost:8080', 'Recall cannot reach'],
      },
    ],
  },
  {
    name: 'a child may not leave its merged body broken: the rule fires for the profile that breaks it only',
    files: withConfig({
      [A]: yaml(
        'profiles:',
        '  base:',
        '    retention: {type: forever}',
        '    video_mixed_layout: gallery_view_v2',
        '    video_separate_png: {}',
      ),
      [B]: yaml(
        'profiles:',
        '  plain:',
        '    extends: base',
        '    video_mixed_layout: speaker_view',
        'assignments:',
        `  - {profile: plain, bots: [${BOT1}]}`,
      ),
    }),
    expected: [
      {
        at: `${A}:5:25`,
        severity: 'error',
        code: 'separate_video_needs_gallery_view_v2',
        message: [
          'profile "plain" (extends "base")',
          'video_separate_png needs video_mixed_layout: gallery_view_v2 (it is speaker_view)',
          `video_mixed_layout set at ${B}:4:25`,
        ],
        related: [`${B}:4:25`],
      },
    ],
  },

  {
    name: 'a broken parent is reported once, at its own line, not once more per child',
    files: withConfig({
      [A]: yaml(
        'profiles:',
        '  base:',
        '    retention: {type: forever}',
        '    video_separate_png: {}',
        '  one: {extends: base}',
        '  two: {extends: base}',
      ),
      [B]: yaml('assignments:', `  - {profile: one, bots: [${BOT1}]}`, `  - {profile: two, bots: [${BOT2}]}`),
    }),
    expected: [
      {
        at: `${A}:4:25`,
        severity: 'error',
        code: 'separate_video_needs_gallery_view_v2',
        message: [
          'video_separate_png needs video_mixed_layout: gallery_view_v2 (it is speaker_view)',
          'video_mixed_layout is the endpoint default',
        ],
      },
    ],
  },

  // ------------------------------------------------------------------------------ more shapes
  {
    name: 'two transcript providers at once',
    files: withConfig({[A]: profileFile('    transcript:', '      provider: {recallai_streaming: {}, deepgram_streaming: {}}')}),
    expected: [
      {
        at: `${A}:5:17`,
        severity: 'error',
        code: 'invalid',
        message: [
          'transcript.provider takes exactly one provider key, found 2: recallai_streaming, deepgram_streaming',
          'keep one',
        ],
      },
    ],
  },
  {
    name: 'hours on a forever retention is an unknown key',
    files: withConfig({
      [A]: yaml(
        'profiles:',
        '  p:',
        '    retention: {type: forever, hours: 24}',
        'assignments:',
        `  - {profile: p, bots: [${BOT1}]}`,
      ),
    }),
    expected: [
      {
        at: `${A}:3:32`,
        severity: 'error',
        code: 'unknown_key',
        message: ['unknown key "hours" in retention', 'Allowed keys: type.'],
      },
    ],
  },
  {
    name: 'an assignment without a profile',
    files: withConfig({[A]: yaml('profiles:', '  p: {retention: {type: forever}}', 'assignments:', `  - bots: [${BOT1}]`)}),
    expected: [
      {
        at: `${A}:4:5`,
        severity: 'error',
        code: 'missing_key',
        message: [`assignment ${A}:4: this is missing the required key "profile" (text)`],
      },
    ],
    ignore: ['unused_profile'],
  },
  {
    name: 'a profile name that cannot be a target',
    files: withConfig({
      [A]: yaml(
        'profiles:',
        '  "sales call": {retention: {type: forever}}',
        'assignments:',
        `  - {profile: sales call, bots: [${BOT1}]}`,
      ),
    }),
    expected: [
      {
        at: `${A}:2:3`,
        severity: 'error',
        code: 'bad_profile_name',
        message: ['profile name "sales call" must start with a letter or digit'],
      },
      {at: `${A}:4:15`, severity: 'error', code: 'bad_format', message: ['profile: "sales call" is not a profile name']},
    ],
  },
  {
    name: 'the same bot twice in one assignment',
    files: withConfig({
      [A]: yaml(
        'profiles:',
        '  p: {retention: {type: forever}}',
        'assignments:',
        '  - profile: p',
        '    bots:',
        `      - ${BOT1}`,
        `      - ${BOT1}`,
      ),
    }),
    expected: [
      {
        at: `${A}:7:9`,
        severity: 'error',
        code: 'bot_claimed_twice',
        message: [`is listed twice in assignment ${A}:4 (also at ${A}:6:9)`, 'Remove one'],
        related: [`${A}:6:9`],
      },
    ],
  },
  {
    name: 'an empty recordings file is a warning',
    files: withConfig({[A]: VALID_RECORDINGS, [B]: '# nothing yet\n'}),
    expected: [{at: `${B}:1:1`, severity: 'warning', code: 'empty_file', message: [`${B} is empty`]}],
  },
  {
    name: 'a match selector with a number as metadata value says to quote it',
    files: withConfig({
      [A]: yaml(
        'profiles:',
        '  p: {retention: {type: forever}}',
        'assignments:',
        '  - profile: p',
        '    match: {metadata: {tier: 2}}',
      ),
    }),
    expected: [
      {
        at: `${A}:5:30`,
        severity: 'error',
        code: 'metadata_not_text',
        message: ['match.metadata.tier is 2 (a number)', 'Quote it: tier: "2"'],
      },
    ],
  },
  {
    name: 'a custom base_url needs allow_custom_base_url',
    files: withConfig({[A]: VALID_RECORDINGS}, yaml('version: 1', 'api:', '  base_url: https://recall-proxy.example.com')),
    expected: [
      {
        at: `${CONFIG}:3:13`,
        severity: 'error',
        code: 'bad_api_endpoint',
        message: ['neither a Recall region nor loopback', 'allow_custom_base_url: true'],
      },
    ],
  },
  {
    name: 'a tab in indentation',
    files: withConfig({[A]: 'profiles:\n  p:\n\tretention: {type: forever}\n'}),
    expected: [{at: `${A}:3:1`, severity: 'error', code: 'yaml_syntax', message: ['Tabs are not allowed as indentation']}],
  },

  // ------------------------------------------------------------------------------ all at once
  {
    name: 'a file with five unrelated errors gives five diagnostics',
    files: withConfig({
      [A]: yaml(
        'profiles:',
        '  p:',
        '    retention: {type: forever}',
        '    video_mixed_layout: gallery',
        '    start_recording_on: 5',
        '    metadata: {ok: "1", n: 2}',
        '    participant_event: null',
        'assignments:',
        '  - profile: p',
        '    bots: [nope]',
      ),
    }),
    expected: [
      {at: `${A}:4:25`, severity: 'error', code: 'bad_enum', message: ['video_mixed_layout: "gallery" is not allowed']},
      {at: `${A}:5:25`, severity: 'error', code: 'bad_enum', message: ['start_recording_on: 5 is not allowed', 'call_join']},
      {at: `${A}:6:28`, severity: 'error', code: 'metadata_not_text', message: ['metadata.n is 2']},
      {
        at: `${A}:7:5`,
        severity: 'error',
        code: 'unknown_key',
        message: ['unknown key "participant_event"', 'Did you mean "participant_events"?'],
      },
      {at: `${A}:10:12`, severity: 'error', code: 'bad_format', message: ['bots[0]: "nope" is not a bot id']},
    ],
  },
  {
    name: 'errors in three files are all reported in one run',
    files: withConfig(
      {
        [A]: profileFile('    video_mixed_layout: 1'),
        [B]: yaml(
          'profiles:',
          '  q:',
          '    extends: nowhere',
          '    retention: {type: forever}',
          'assignments:',
          `  - {profile: q, bots: [${BOT2}]}`,
        ),
      },
      yaml('version: 2', 'api:', '  base_url: sandbox'),
    ),
    expected: [
      {at: `${CONFIG}:1:10`, severity: 'error', code: 'bad_enum', message: ['version must be 1, found 2']},
      {at: `${A}:4:25`, severity: 'error', code: 'bad_enum', message: ['video_mixed_layout: 1 is not allowed']},
      {
        at: `${B}:3:14`,
        severity: 'error',
        code: 'missing_parent',
        message: ['profile "q" extends "nowhere"', 'Declared profiles: p, q'],
      },
    ],
  },
]

/** Cases that need the disk: the recordings globs are expanded by readProject. */
export interface DiskCase {
  name: string
  files: ProjectFiles
  expected: ExpectedDiagnostic[]
}

export const DISK_CORPUS: DiskCase[] = [
  {
    name: 'a recordings glob that matches no file',
    files: {
      [CONFIG]: yaml(
        'version: 1',
        'api:',
        '  base_url: sandbox',
        'recordings:',
        '  - "recordings/*.yaml"',
        '  - "more/**/*.yml"',
      ),
      [A]: VALID_RECORDINGS,
    },
    expected: [
      {at: `${CONFIG}:6:5`, severity: 'error', code: 'empty_glob', message: ['recordings glob "more/**/*.yml" matches no file']},
    ],
  },
  {
    name: 'no recall.config.yaml at all',
    files: {[A]: VALID_RECORDINGS},
    expected: [{at: CONFIG, severity: 'error', code: 'file_unreadable', message: ['recall.config.yaml not found']}],
  },
]
