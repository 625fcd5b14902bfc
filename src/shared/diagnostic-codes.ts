/**
 * Every diagnostic code recallctl reports, with what it means: the one registry. `Diagnostic.code` is
 * typed from it, so a code not written here does not compile. Codes are stable (scripts read them in
 * `validate --json` and plan files): add new ones, never rename. No code reads a diagnostic's message:
 * what a program needs to tell diagnostics apart is here, in the path, the range or the address.
 */
export const DIAGNOSTIC_CODES = {
  // Reading the files (load/)
  file_unreadable: 'a file could not be read (the OS error says why)',
  file_too_large: 'a file is over the size limit for a recordings or config file',
  not_text: 'a file is not UTF-8 text',
  not_regular_file: 'a path matched is not a regular file (a device, a FIFO, a socket)',
  symlink_outside: 'a symbolic link points outside the project directory',
  glob_outside_project: 'a recordings glob reaches outside the project directory',
  too_many_files: 'the recordings globs match more files (or directory entries) than the limit',
  empty_glob: 'a recordings glob matches no file',
  config_unreadable: 'recall.config.yaml could not be read again (watch)',
  // YAML (load/source-document.ts)
  yaml_syntax: 'the YAML parser refused the text',
  yaml_warning: 'the YAML parser warned about the text',
  yaml_alias_limit: 'YAML aliases expand to more nodes than the limit (an alias bomb)',
  yaml_undefined_alias: 'a YAML alias refers to no anchor defined before it',
  nesting_too_deep: 'YAML nested deeper than the limit',
  duplicate_key: 'a key appears twice in one YAML map',
  // Shape of the files (validate/)
  not_a_map: 'a file, or a value that must be a map, is something else',
  empty_file: 'a recordings file is empty',
  unknown_key: 'a key the schema does not have (often a typo)',
  missing_key: 'a required key is absent',
  wrong_type: 'a value of the wrong type (a text where a number goes...)',
  bad_enum: 'a value that is not one of the allowed choices',
  bad_format: 'a text that is not in the required format (a URL, a pattern...)',
  out_of_range: 'a number or length outside its bounds, or an empty list',
  invalid: 'a value the schema refuses for another reason',
  bad_api_endpoint: 'api.region / api.base_url do not name a Recall endpoint this recallctl accepts',
  bad_profile_name: 'a profile name that is not a valid name',
  bots_and_match: 'an assignment has both bots: and match:',
  no_selector: 'an assignment has neither bots: nor match:',
  no_profiles: 'no recordings file declares a profile',
  duplicate_profile: 'two profiles have the same name',
  missing_parent: 'a profile extends a profile that does not exist',
  extends_cycle: 'profiles extend each other in a loop',
  extends_chain_too_long: 'a chain of extends is longer than the limit',
  unknown_profile: 'an assignment names a profile that does not exist',
  unused_profile: 'a profile no assignment uses (warning)',
  bot_claimed_twice: 'two assignments list the same bot id',
  metadata_too_large: 'a metadata value or the whole metadata is over its size limit',
  reserved_metadata_key: 'a metadata key recallctl writes itself (recallctl_*)',
  metadata_not_text: 'a metadata value that is not text',
  // ${env:} references
  env_not_allowed: 'an ${env:} reference where none is allowed (keys, ids, the config file)',
  env_malformed: 'text that looks like an ${env:} reference but is not a valid one',
  env_unset: 'an ${env:} variable that is not set',
  env_empty: 'an ${env:} variable that is set to the empty text',
  env_unknown_key: 'once ${env:} is substituted: an unknown key',
  env_missing_key: 'once ${env:} is substituted: a required key is absent',
  env_wrong_type: 'once ${env:} is substituted: a value of the wrong type',
  env_bad_enum: 'once ${env:} is substituted: a value that is not an allowed choice',
  env_bad_format: 'once ${env:} is substituted: a text not in the required format (a URL...)',
  env_out_of_range: 'once ${env:} is substituted: a value outside its bounds (too long...)',
  env_invalid: 'once ${env:} is substituted: a value the schema refuses',
  // Rules between fields of the merged body (resolve/)
  separate_video_needs_gallery_view_v2: 'separate video output needs the gallery_view_v2 layout',
  rtmp_needs_video_mixed_flv: 'an RTMP endpoint needs video_mixed_flv output',
  rtmp_events_exactly_video_mixed_flv_data: 'an RTMP endpoint takes exactly the video_mixed_flv.data event',
  transcript_event_needs_transcript: 'a transcript event is subscribed without a transcript provider',
  low_latency_needs_language_en: 'recallai_streaming prioritize_low_latency needs language_code: en',
  artifact_event_needs_artifact: 'an artifact event is subscribed without that artifact being recorded',
  realtime_endpoint_on_localhost: 'a realtime endpoint on localhost, which Recall cannot reach',
  env_separate_video_needs_gallery_view_v2: 'once ${env:} is substituted: separate_video_needs_gallery_view_v2',
  env_rtmp_needs_video_mixed_flv: 'once ${env:} is substituted: rtmp_needs_video_mixed_flv',
  env_rtmp_events_exactly_video_mixed_flv_data: 'once ${env:} is substituted: rtmp_events_exactly_video_mixed_flv_data',
  env_transcript_event_needs_transcript: 'once ${env:} is substituted: transcript_event_needs_transcript',
  env_low_latency_needs_language_en: 'once ${env:} is substituted: low_latency_needs_language_en',
  env_artifact_event_needs_artifact: 'once ${env:} is substituted: artifact_event_needs_artifact',
  env_realtime_endpoint_on_localhost: 'once ${env:} is substituted: realtime_endpoint_on_localhost',
  retention_unset: 'no retention is set, so Recall keeps recordings by its default (warning)',
  // The live state (refresh/, diff/)
  bot_missing: 'a bot assigned by id does not exist in the workspace',
  unknown_status: 'a bot is in a status this recallctl does not know',
  bot_conflict: 'one bot is selected by two assignments',
  bad_bot_response: 'Recall answered with a bot this recallctl cannot read',
  bot_read_failed: 'a bot could not be read from Recall',
  bad_target: 'a --target/--exclude that is not a valid selector',
  target_unassigned: 'a --target/--exclude that matches no assignment or bot',
  // Commands
  compare_ref_unavailable: 'the --compare-ref revision could not be read (no git, or not a repository)',
  compare_ref_failed: 'the project at --compare-ref could not be loaded',
  previous_body_not_found: 'a restarted bot has no earlier body to compare with',
  import_not_read: 'the file import wrote is not matched by the recordings globs',
} as const

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES

export const isDiagnosticCode = (code: string): code is DiagnosticCode => Object.hasOwn(DIAGNOSTIC_CODES, code)
