/**
 * Every diagnostic code recallctl reports, with its summary and what it means: the one registry. `Diagnostic.code` is
 * typed from it, so a code not written here does not compile. Codes are stable (scripts read them in
 * `validate --json` and plan files): add new ones, never rename. No code reads a diagnostic's message:
 * what a program needs to tell diagnostics apart is here, in the path, the range or the address.
 */
export const DIAGNOSTIC_CODES = {
  // code: {summary: its title (shown above the detail, a few words), means: when it is reported}
  // Reading the files (load/)
  file_unreadable: {summary: 'File not readable', means: 'a file could not be read (the OS error says why)'},
  file_too_large: {summary: 'File too large', means: 'a file is over the size limit for a recordings or config file'},
  not_text: {summary: 'Not a text file', means: 'a file is not UTF-8 text'},
  not_regular_file: {summary: 'Not a regular file', means: 'a path matched is not a regular file (a device, a FIFO, a socket)'},
  symlink_outside: {summary: 'Symbolic link outside the project', means: 'a symbolic link points outside the project directory'},
  glob_outside_project: {summary: 'Glob outside the project', means: 'a recordings glob reaches outside the project directory'},
  too_many_files: {
    summary: 'Too many files',
    means: 'the recordings globs match more files (or directory entries) than the limit',
  },
  empty_glob: {summary: 'Glob matches no file', means: 'a recordings glob matches no file'},
  config_unreadable: {summary: 'Config not readable', means: 'recall.config.yaml could not be read again (watch)'},
  // YAML (load/source-document.ts)
  yaml_syntax: {summary: 'YAML syntax error', means: 'the YAML parser refused the text'},
  yaml_warning: {summary: 'YAML warning', means: 'the YAML parser warned about the text'},
  yaml_alias_limit: {
    summary: 'Too many YAML alias expansions',
    means: 'YAML aliases expand to more nodes than the limit (an alias bomb)',
  },
  yaml_undefined_alias: {summary: 'Undefined YAML alias', means: 'a YAML alias refers to no anchor defined before it'},
  nesting_too_deep: {summary: 'Nested too deep', means: 'YAML nested deeper than the limit'},
  duplicate_key: {summary: 'Duplicate key', means: 'a key appears twice in one YAML map'},
  // Shape of the files (validate/)
  not_a_map: {summary: 'Not a map', means: 'a file, or a value that must be a map, is something else'},
  empty_file: {summary: 'Empty file', means: 'a recordings file is empty'},
  unknown_key: {summary: 'Unknown key', means: 'a key the schema does not have (often a typo)'},
  missing_key: {summary: 'Missing key', means: 'a required key is absent'},
  wrong_type: {summary: 'Wrong type', means: 'a value of the wrong type (a text where a number goes...)'},
  bad_enum: {summary: 'Value not allowed', means: 'a value that is not one of the allowed choices'},
  bad_format: {summary: 'Wrong format', means: 'a text that is not in the required format (a URL, a pattern...)'},
  out_of_range: {summary: 'Out of range', means: 'a number or length outside its bounds, or an empty list'},
  invalid: {summary: 'Invalid value', means: 'a value the schema refuses for another reason'},
  bad_api_endpoint: {
    summary: 'Not a Recall endpoint',
    means: 'api.region / api.base_url do not name a Recall endpoint this recallctl accepts',
  },
  bad_profile_name: {summary: 'Invalid profile name', means: 'a profile name that is not a valid name'},
  bots_and_match: {summary: 'Both bots and match', means: 'an assignment has both bots: and match:'},
  no_selector: {summary: 'No selector', means: 'an assignment has neither bots: nor match:'},
  no_profiles: {summary: 'No profiles', means: 'no recordings file declares a profile'},
  duplicate_profile: {summary: 'Duplicate profile', means: 'two profiles have the same name'},
  missing_parent: {summary: 'Missing parent profile', means: 'a profile extends a profile that does not exist'},
  extends_cycle: {summary: 'Extends cycle', means: 'profiles extend each other in a loop'},
  extends_chain_too_long: {summary: 'Extends chain too long', means: 'a chain of extends is longer than the limit'},
  unknown_profile: {summary: 'Unknown profile', means: 'an assignment names a profile that does not exist'},
  unused_profile: {summary: 'Unused profile', means: 'a profile no assignment uses (warning)'},
  bot_claimed_twice: {summary: 'Bot assigned twice', means: 'two assignments list the same bot id'},
  metadata_too_large: {summary: 'Metadata too large', means: 'a metadata value or the whole metadata is over its size limit'},
  reserved_metadata_key: {summary: 'Reserved metadata key', means: 'a metadata key recallctl writes itself (recallctl_*)'},
  metadata_not_text: {summary: 'Metadata value not text', means: 'a metadata value that is not text'},
  // ${env:} references
  env_not_allowed: {
    summary: '${env:} not allowed here',
    means: 'an ${env:} reference where none is allowed (keys, ids, the config file)',
  },
  env_malformed: {
    summary: 'Malformed ${env:} reference',
    means: 'text that looks like an ${env:} reference but is not a valid one',
  },
  env_unset: {summary: 'Environment variable not set', means: 'an ${env:} variable that is not set'},
  env_empty: {summary: 'Environment variable empty', means: 'an ${env:} variable that is set to the empty text'},
  env_unknown_key: {summary: 'Unknown key after ${env:}', means: 'once ${env:} is substituted: an unknown key'},
  env_missing_key: {summary: 'Missing key after ${env:}', means: 'once ${env:} is substituted: a required key is absent'},
  env_wrong_type: {summary: 'Wrong type after ${env:}', means: 'once ${env:} is substituted: a value of the wrong type'},
  env_bad_enum: {
    summary: 'Value not allowed after ${env:}',
    means: 'once ${env:} is substituted: a value that is not an allowed choice',
  },
  env_bad_format: {
    summary: 'Wrong format after ${env:}',
    means: 'once ${env:} is substituted: a text not in the required format (a URL...)',
  },
  env_out_of_range: {
    summary: 'Out of range after ${env:}',
    means: 'once ${env:} is substituted: a value outside its bounds (too long...)',
  },
  env_invalid: {summary: 'Invalid value after ${env:}', means: 'once ${env:} is substituted: a value the schema refuses'},
  // Rules between fields of the merged body (resolve/)
  separate_video_needs_gallery_view_v2: {
    summary: 'Separate video needs gallery_view_v2',
    means: 'separate video output needs the gallery_view_v2 layout',
  },
  rtmp_needs_video_mixed_flv: {summary: 'RTMP needs video_mixed_flv', means: 'an RTMP endpoint needs video_mixed_flv output'},
  rtmp_events_exactly_video_mixed_flv_data: {
    summary: 'RTMP events must be video_mixed_flv.data',
    means: 'an RTMP endpoint takes exactly the video_mixed_flv.data event',
  },
  transcript_event_needs_transcript: {
    summary: 'Transcript event without transcript',
    means: 'a transcript event is subscribed without a transcript provider',
  },
  low_latency_needs_language_en: {
    summary: 'Low latency needs language_code en',
    means: 'recallai_streaming prioritize_low_latency needs language_code: en',
  },
  artifact_event_needs_artifact: {
    summary: 'Artifact event without artifact',
    means: 'an artifact event is subscribed without that artifact being recorded',
  },
  realtime_endpoint_on_localhost: {
    summary: 'Realtime endpoint on localhost',
    means: 'a realtime endpoint on localhost, which Recall cannot reach',
  },
  env_separate_video_needs_gallery_view_v2: {
    summary: 'Separate video needs gallery_view_v2 after ${env:}',
    means: 'once ${env:} is substituted: separate_video_needs_gallery_view_v2',
  },
  env_rtmp_needs_video_mixed_flv: {
    summary: 'RTMP needs video_mixed_flv after ${env:}',
    means: 'once ${env:} is substituted: rtmp_needs_video_mixed_flv',
  },
  env_rtmp_events_exactly_video_mixed_flv_data: {
    summary: 'RTMP events must be video_mixed_flv.data after ${env:}',
    means: 'once ${env:} is substituted: rtmp_events_exactly_video_mixed_flv_data',
  },
  env_transcript_event_needs_transcript: {
    summary: 'Transcript event without transcript after ${env:}',
    means: 'once ${env:} is substituted: transcript_event_needs_transcript',
  },
  env_low_latency_needs_language_en: {
    summary: 'Low latency needs language_code en after ${env:}',
    means: 'once ${env:} is substituted: low_latency_needs_language_en',
  },
  env_artifact_event_needs_artifact: {
    summary: 'Artifact event without artifact after ${env:}',
    means: 'once ${env:} is substituted: artifact_event_needs_artifact',
  },
  env_realtime_endpoint_on_localhost: {
    summary: 'Realtime endpoint on localhost after ${env:}',
    means: 'once ${env:} is substituted: realtime_endpoint_on_localhost',
  },
  retention_unset: {
    summary: 'Retention not set',
    means: 'no retention is set, so Recall keeps recordings by its default (warning)',
  },
  // The live state (refresh/, diff/)
  bot_missing: {summary: 'Bot not found', means: 'a bot assigned by id does not exist in the workspace'},
  unknown_status: {summary: 'Unknown bot status', means: 'a bot is in a status this recallctl does not know'},
  bot_conflict: {summary: 'Bot claimed twice', means: 'one bot is selected by two assignments'},
  bad_bot_response: {summary: 'Unreadable bot from Recall', means: 'Recall answered with a bot this recallctl cannot read'},
  bot_read_failed: {summary: 'Bot read failed', means: 'a bot could not be read from Recall'},
  bad_target: {summary: 'Invalid target', means: 'a --target/--exclude that is not a valid selector'},
  target_unassigned: {summary: 'Target not assigned', means: 'a --target/--exclude that matches no assignment or bot'},
  // Commands
  compare_ref_unavailable: {
    summary: '--compare-ref unavailable',
    means: 'the --compare-ref revision could not be read (no git, or not a repository)',
  },
  compare_ref_failed: {
    summary: '--compare-ref project failed to load',
    means: 'the project at --compare-ref could not be loaded',
  },
  previous_body_not_found: {summary: 'Previous body not found', means: 'a restarted bot has no earlier body to compare with'},
  import_not_read: {summary: 'Imported file not read', means: 'the file import wrote is not matched by the recordings globs'},
} as const

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES

export const isDiagnosticCode = (code: string): code is DiagnosticCode => Object.hasOwn(DIAGNOSTIC_CODES, code)

/** The code's title, as Terraform's diagnostic Summary: a few words; the diagnostic's `message` is its detail. */
export const diagnosticSummary = (code: string): string | undefined =>
  isDiagnosticCode(code) ? DIAGNOSTIC_CODES[code].summary : undefined
