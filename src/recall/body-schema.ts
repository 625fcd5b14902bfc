/**
 * The body of `POST /api/v1/bot/{id}/start_recording/`: Recall's `BotRecordingConfig`
 * (../shared/recall-api/openapi.json is the authority; test/recall/body-schema.spec-equality.test.ts
 * fails when this schema and the spec disagree on field names, enum values, nullability, required keys
 * or nesting).
 *
 * Every object is `.strict()`: an unknown key is a typo, and a typo must never fall back to a default.
 * Every top-level field is optional here; what the endpoint does when one is absent is in
 * body-defaults.ts, and the rules between fields are in cross-field-rules.ts.
 *
 * Where we are stricter than the spec, on purpose (the spec-equality test lists each one):
 * - every object is closed, including `retention: {type: forever}` (spec: open `GenericObject`) and
 *   `transcript.provider.meeting_captions` (spec: open `{type: object}`; it has no options);
 * - `transcript.provider` holds exactly one provider key (NOTES.md; the spec's object has no such bound);
 * - `aws_transcribe_streaming` needs `language_code`, or `identify_language: true` with
 *   `language_options`, not both (the spec's `oneOf` of `required` sets, which JSON Schema output here
 *   does not carry).
 * Where NOTES.md and the spec differ, the spec wins (see the comments at `metadataMapSchema` and
 * `retentionSchema`).
 */
import {z} from 'zod'

/** The 19 top-level fields, in the spec's order. */
export const BODY_FIELDS = [
  'transcript',
  'realtime_endpoints',
  'retention',
  'video_mixed_layout',
  'video_mixed_mp4',
  'participant_events',
  'meeting_metadata',
  'video_mixed_participant_video_when_screenshare',
  'start_recording_on',
  'include_bot_in_recording',
  'metadata',
  'audio_mixed_raw',
  'audio_mixed_mp3',
  'video_separate_mp4',
  'audio_separate_raw',
  'audio_separate_mp3',
  'video_mixed_flv',
  'video_separate_png',
  'video_separate_h264',
] as const
export type BodyField = (typeof BODY_FIELDS)[number]

/** Artifacts the endpoint turns on when the field is absent; the other eight are off (null). */
export const ON_BY_DEFAULT_ARTIFACTS = ['video_mixed_mp4', 'participant_events', 'meeting_metadata'] as const
export const OFF_BY_DEFAULT_ARTIFACTS = [
  'audio_mixed_raw',
  'audio_mixed_mp3',
  'video_separate_mp4',
  'audio_separate_raw',
  'audio_separate_mp3',
  'video_mixed_flv',
  'video_separate_png',
  'video_separate_h264',
] as const

/** Fields whose value is a base artifact (`{metadata?}` to turn it on, `null` to turn it off). */
export const ARTIFACT_FIELDS = [...ON_BY_DEFAULT_ARTIFACTS, ...OFF_BY_DEFAULT_ARTIFACTS] as const
export type ArtifactField = (typeof ARTIFACT_FIELDS)[number]

export const VIDEO_MIXED_LAYOUTS = ['speaker_view', 'gallery_view', 'gallery_view_v2', 'audio_only'] as const
export const PARTICIPANT_VIDEO_WHEN_SCREENSHARE_MODES = ['hide', 'beside', 'overlap'] as const
export const START_RECORDING_ON_TRIGGERS = ['call_join', 'participant_join', 'participant_speak', 'manual'] as const
export const RETENTION_TYPES = ['timed', 'forever'] as const

export const REALTIME_ENDPOINT_TYPES = ['rtmp', 'websocket', 'webhook', 'desktop_sdk_callback'] as const
export type RealtimeEndpointType = (typeof REALTIME_ENDPOINT_TYPES)[number]

const PARTICIPANT_EVENTS = [
  'participant_events.join',
  'participant_events.leave',
  'participant_events.update',
  'participant_events.speech_on',
  'participant_events.speech_off',
  'participant_events.webcam_on',
  'participant_events.webcam_off',
  'participant_events.screenshare_on',
  'participant_events.screenshare_off',
  'participant_events.chat_message',
] as const
const TRANSCRIPT_EVENTS = ['transcript.data', 'transcript.partial_data', 'transcript.provider_data'] as const

/** The events each real-time endpoint type may subscribe to (the spec's per-type enums, in its order). */
export const REALTIME_EVENTS_BY_TYPE = {
  rtmp: ['video_mixed_flv.data'],
  websocket: [
    ...PARTICIPANT_EVENTS,
    'audio_mixed_raw.data',
    ...TRANSCRIPT_EVENTS,
    'audio_separate_raw.data',
    'video_separate_png.data',
    'video_separate_h264.data',
  ],
  webhook: [...PARTICIPANT_EVENTS, ...TRANSCRIPT_EVENTS],
  desktop_sdk_callback: [
    ...PARTICIPANT_EVENTS,
    ...TRANSCRIPT_EVENTS,
    'video_separate_png.data',
    'video_separate_h264.data',
    'audio_mixed_raw.data',
  ],
} as const satisfies Record<RealtimeEndpointType, readonly string[]>

export type RealtimeEvent = (typeof REALTIME_EVENTS_BY_TYPE)[RealtimeEndpointType][number]
/** Every event name any endpoint type accepts, without repeats. */
export const REALTIME_EVENTS: readonly RealtimeEvent[] = [...new Set(Object.values(REALTIME_EVENTS_BY_TYPE).flat())]

export const TRANSCRIPT_PROVIDERS = [
  'recallai_streaming',
  'assembly_ai_async_chunked',
  'assembly_ai_v3_streaming',
  'deepgram_streaming',
  'gladia_v2_streaming',
  'rev_streaming',
  'aws_transcribe_streaming',
  'speechmatics_streaming',
  'meeting_captions',
] as const
export type TranscriptProviderName = (typeof TRANSCRIPT_PROVIDERS)[number]

export const RECALLAI_LANGUAGE_CODES = [
  'auto',
  'bg',
  'ca',
  'cs',
  'da',
  'de',
  'el',
  'en',
  'en_au',
  'en_uk',
  'en_us',
  'es',
  'et',
  'fi',
  'fr',
  'hi',
  'hr',
  'hu',
  'id',
  'it',
  'ja',
  'ko',
  'lt',
  'lv',
  'ms',
  'nl',
  'no',
  'pl',
  'pt',
  'ro',
  'ru',
  'sk',
  'sv',
  'th',
  'tr',
  'uk',
  'vi',
  'zh',
] as const
export const RECALLAI_STREAMING_MODES = ['prioritize_low_latency', 'prioritize_accuracy'] as const

// ---------------------------------------------------------------------------------------------------
// Small shared pieces

/**
 * Recall's metadata map. The spec types the values as nullable strings (`{type: string, nullable: true}`);
 * NOTES.md's table reads "map string → string or null" for the top-level field, but the spec does not
 * make the map itself nullable, so `metadata: null` is rejected and `{key: null}` is accepted.
 * (Profiles use `null` to drop an inherited key; a resolved body normally carries only strings.)
 */
export const metadataMapSchema = z
  .record(z.string(), z.string().nullable())
  .describe(
    'Metadata: string keys to string values (quote numbers and booleans). Values under keys containing secret, token, password or key are shown as <redacted>.',
  )

/** `{metadata?}`: present turns the artifact on, `null` (at the field) turns it off. */
export const baseArtifactSchema = z
  .object({metadata: metadataMapSchema.optional()})
  .strict()
  .describe('An artifact: {} (or {metadata: {...}}) turns it on, null turns it off.')

// ---------------------------------------------------------------------------------------------------
// Transcript providers and their options. Generated from the spec's
// `BotRecordingConfigTranscriptProvider`, then tidied; nested options are sent as written.

const recallaiStreamingOptions = z
  .object({
    language_code: z.enum(RECALLAI_LANGUAGE_CODES).optional().meta({
      description: 'Language spoken in the meeting; auto detects it. mode: prioritize_low_latency needs en.',
      default: 'auto',
    }),
    spelling: z
      .array(z.object({find: z.array(z.string()), replace: z.string()}).strict())
      .optional()
      .describe('Spelling corrections: each {find: [words], replace: word}.'),
    key_terms: z.array(z.string()).optional().describe('Words and names the transcriber should expect.'),
    filter_profanity: z.boolean().optional().describe('Mask profanity in the transcript.'),
    mode: z
      .enum(RECALLAI_STREAMING_MODES)
      .optional()
      .describe('prioritize_accuracy, or prioritize_low_latency (needs language_code: en).'),
  })
  .strict()
  .describe("Recall.ai's own streaming transcription. Its options are sent as written: their defaults belong to the provider.")

// assembly_ai_async_chunked
const assemblyAiAsyncChunkedOptions = z
  .object({
    // An open enum: the listed codes, or any other string, or null.
    language_code: z
      .union([
        z.enum([
          'en',
          'en_au',
          'en_uk',
          'en_us',
          'es',
          'fr',
          'de',
          'it',
          'pt',
          'nl',
          'af',
          'sq',
          'am',
          'ar',
          'hy',
          'as',
          'az',
          'ba',
          'eu',
          'be',
          'bn',
          'bs',
          'br',
          'bg',
          'my',
          'ca',
          'zh',
          'hr',
          'cs',
          'da',
          'et',
          'fo',
          'fi',
          'gl',
          'ka',
          'el',
          'gu',
          'ht',
          'ha',
          'haw',
          'he',
          'hi',
          'hu',
          'is',
          'id',
          'ja',
          'jw',
          'kn',
          'kk',
          'km',
          'ko',
          'lo',
          'la',
          'lv',
          'ln',
          'lt',
          'lb',
          'mk',
          'mg',
          'ms',
          'ml',
          'mt',
          'mi',
          'mr',
          'mn',
          'ne',
          'no',
          'nn',
          'oc',
          'pa',
          'ps',
          'fa',
          'pl',
          'ro',
          'ru',
          'sa',
          'sr',
          'sn',
          'sd',
          'si',
          'sk',
          'sl',
          'so',
          'su',
          'sw',
          'sv',
          'tl',
          'tg',
          'ta',
          'tt',
          'te',
          'th',
          'bo',
          'tr',
          'tk',
          'uk',
          'ur',
          'uz',
          'vi',
          'cy',
          'yi',
          'yo',
        ]),
        z.string(),
      ])
      .nullable()
      .optional(),
    language_detection: z.boolean().optional(),
    language_confidence_threshold: z.number().min(0).max(1).optional(),
    speech_model: z
      .union([z.enum(['best', 'nano', 'slam-1', 'universal']), z.string()])
      .nullable()
      .optional(),
    punctuate: z.boolean().optional(),
    format_text: z.boolean().optional(),
    disfluencies: z.boolean().optional(),
    multichannel: z.boolean().optional(),
    dual_channel: z.boolean().optional(),
    auto_highlights: z.boolean().optional(),
    audio_start_from: z.number().int().optional(),
    audio_end_at: z.number().int().optional(),
    word_boost: z.array(z.string()).optional(),
    boost_param: z.enum(['low', 'default', 'high']).optional(),
    filter_profanity: z.boolean().optional(),
    redact_pii: z.boolean().optional(),
    redact_pii_audio: z.boolean().optional(),
    redact_pii_audio_quality: z.enum(['mp3', 'wav']).optional(),
    redact_pii_policies: z
      .array(
        z.enum([
          'account_number',
          'banking_information',
          'blood_type',
          'credit_card_cvv',
          'credit_card_expiration',
          'credit_card_number',
          'date',
          'date_interval',
          'date_of_birth',
          'drivers_license',
          'drug',
          'duration',
          'email_address',
          'event',
          'filename',
          'gender_sexuality',
          'healthcare_number',
          'injury',
          'ip_address',
          'language',
          'location',
          'marital_status',
          'medical_condition',
          'medical_process',
          'money_amount',
          'nationality',
          'number_sequence',
          'occupation',
          'organization',
          'passport_number',
          'password',
          'person_age',
          'person_name',
          'phone_number',
          'physical_attribute',
          'political_affiliation',
          'religion',
          'statistics',
          'time',
          'url',
          'us_social_security_number',
          'username',
          'vehicle_id',
          'zodiac_sign',
        ]),
      )
      .optional(),
    redact_pii_sub: z
      .union([z.enum(['entity_name', 'hash']), z.string()])
      .nullable()
      .optional(),
    speaker_labels: z.boolean().optional(),
    speakers_expected: z.number().int().nullable().optional(),
    content_safety: z.boolean().optional(),
    content_safety_confidence: z.number().int().min(25).max(100).optional(),
    iab_categories: z.boolean().optional(),
    custom_spelling: z
      .array(
        z
          .object({
            from: z.array(z.string()),
            to: z.string(),
          })
          .strict(),
      )
      .optional(),
    keyterms_prompt: z.array(z.string()).optional(),
    prompt: z.string().optional(),
    sentiment_analysis: z.boolean().optional(),
    auto_chapters: z.boolean().optional(),
    entity_detection: z.boolean().optional(),
    speech_threshold: z.number().min(0).max(1).nullable().optional(),
    summarization: z.boolean().optional(),
    summary_model: z.enum(['informative', 'conversational', 'catchy']).optional(),
    summary_type: z.enum(['bullets', 'bullets_verbose', 'gist', 'headline', 'paragraph']).optional(),
    custom_topics: z.boolean().optional(),
    topics: z.array(z.string()).optional(),
  })
  .strict()

// assembly_ai_v3_streaming
const assemblyAiV3StreamingOptions = z
  .object({
    format_turns: z.boolean().optional(),
    end_of_turn_confidence_threshold: z.unknown().optional(),
    min_end_of_turn_silence_when_confident: z.unknown().optional(),
    max_turn_silence: z.unknown().optional(),
  })
  .strict()

// deepgram_streaming: options the spec leaves untyped (endpointing, extra, keyterm, ...) take any value.
const deepgramStreamingOptions = z
  .object({
    diarize: z.enum(['true', 'false']).optional(),
    dictation: z.enum(['true', 'false']).optional(),
    endpointing: z.unknown().optional(),
    extra: z.unknown().optional(),
    filler_words: z.enum(['true', 'false']).optional(),
    interim_results: z.enum(['true', 'false']).optional(),
    keyterm: z.unknown().optional(),
    keywords: z.unknown().optional(),
    language: z
      .enum([
        'bg',
        'ca',
        'cs',
        'da',
        'da-DK',
        'de',
        'de-CH',
        'el',
        'en',
        'en-AU',
        'en-GB',
        'en-IN',
        'en-NZ',
        'en-US',
        'es',
        'es-419',
        'es-LATAM',
        'et',
        'fi',
        'fr',
        'fr-CA',
        'hi',
        'hi-Latn',
        'hu',
        'id',
        'it',
        'ja',
        'ko',
        'ko-KR',
        'lt',
        'lv',
        'ms',
        'multi',
        'nl',
        'nl-BE',
        'no',
        'pl',
        'pt',
        'pt-BR',
        'pt-PT',
        'ro',
        'ru',
        'sk',
        'sv',
        'sv-SE',
        'taq',
        'th',
        'th-TH',
        'tr',
        'uk',
        'vi',
        'zh',
        'zh-CN',
        'zh-HK',
        'zh-Hans',
        'zh-Hant',
        'zh-TW',
      ])
      .optional(),
    mip_opt_out: z.unknown().optional(),
    model: z
      .enum([
        'nova-3',
        'nova-3-general',
        'nova-3-medical',
        'nova-2',
        'nova-2-general',
        'nova-2-meeting',
        'nova-2-finance',
        'nova-2-conversationalai',
        'nova-2-voicemail',
        'nova-2-video',
        'nova-2-medical',
        'nova-2-drivethru',
        'nova-2-automotive',
        'nova',
        'nova-general',
        'nova-phonecall',
        'nova-medical',
        'enhanced',
        'enhanced-general',
        'enhanced-meeting',
        'enhanced-phonecall',
        'enhanced-finance',
        'base',
        'meeting',
        'phonecall',
        'finance',
        'conversationalai',
        'voicemail',
        'video',
        'custom',
      ])
      .optional(),
    multichannel: z.enum(['true', 'false']).optional(),
    numerals: z.enum(['true', 'false']).optional(),
    profanity_filter: z.enum(['true', 'false']).optional(),
    punctuate: z.enum(['true', 'false']).optional(),
    redact: z.enum(['true', 'false', 'pci', 'numbers', 'aggressive_numbers', 'ssn']).optional(),
    replace: z.unknown().optional(),
    search: z.unknown().optional(),
    smart_format: z.enum(['true', 'false']).optional(),
    tag: z.unknown().optional(),
    utterance_end_ms: z.unknown().optional(),
    vad_events: z.enum(['true', 'false']).optional(),
    version: z.unknown().optional(),
  })
  .strict()

// gladia_v2_streaming
/** Which messages Gladia sends, on the websocket (messages_config) and to the callback (callback_config). */
const gladiaMessageFlags = {
  receive_final_transcripts: z.boolean().optional(),
  receive_speech_events: z.boolean().optional(),
  receive_pre_processing_events: z.boolean().optional(),
  receive_realtime_processing_events: z.boolean().optional(),
  receive_post_processing_events: z.boolean().optional(),
  receive_acknowledgments: z.boolean().optional(),
  receive_errors: z.boolean().optional(),
  receive_lifecycle_events: z.boolean().optional(),
}

const gladiaV2StreamingOptions = z
  .object({
    custom_metadata: z.record(z.string(), z.unknown()).optional(),
    model: z.literal('solaria-1').optional(),
    endpointing: z.number().min(0.01).max(10).optional(),
    maximum_duration_without_endpointing: z.number().min(5).max(60).optional(),
    language_config: z
      .object({
        languages: z
          .array(
            z.enum([
              'af',
              'sq',
              'am',
              'ar',
              'hy',
              'as',
              'az',
              'ba',
              'eu',
              'be',
              'bn',
              'bs',
              'br',
              'bg',
              'ca',
              'zh',
              'hr',
              'cs',
              'da',
              'nl',
              'en',
              'et',
              'fo',
              'fi',
              'fr',
              'gl',
              'ka',
              'de',
              'el',
              'gu',
              'ht',
              'ha',
              'haw',
              'he',
              'hi',
              'hu',
              'is',
              'id',
              'it',
              'ja',
              'jv',
              'kn',
              'kk',
              'km',
              'ko',
              'lo',
              'la',
              'lv',
              'ln',
              'lt',
              'lb',
              'mk',
              'mg',
              'ms',
              'ml',
              'mt',
              'mi',
              'mr',
              'mn',
              'mymr',
              'ne',
              'no',
              'nn',
              'oc',
              'ps',
              'fa',
              'pl',
              'pt',
              'pa',
              'ro',
              'ru',
              'sa',
              'sr',
              'sn',
              'sd',
              'si',
              'sk',
              'sl',
              'so',
              'es',
              'su',
              'sw',
              'sv',
              'tl',
              'tg',
              'ta',
              'tt',
              'te',
              'th',
              'bo',
              'tr',
              'tk',
              'uk',
              'ur',
              'uz',
              'vi',
              'cy',
              'yi',
              'yo',
              'jp',
            ]),
          )
          .optional(),
        code_switching: z.boolean().optional(),
      })
      .strict()
      .optional(),
    pre_processing: z
      .object({
        audio_enhancer: z.boolean().optional(),
        speech_threshold: z.number().min(0).max(1).optional(),
      })
      .strict()
      .optional(),
    realtime_processing: z
      .object({
        custom_vocabulary: z.boolean().optional(),
        custom_vocabulary_config: z
          .object({
            vocabulary: z.array(
              z.union([
                z
                  .object({
                    value: z.string(),
                    intensity: z.number().min(0).max(1).optional(),
                    pronunciations: z.array(z.string()).optional(),
                    language: z.string().optional(),
                  })
                  .strict(),
                z.string(),
              ]),
            ),
            default_intensity: z.number().min(0).max(1).optional(),
          })
          .strict()
          .optional(),
        custom_spelling: z.boolean().optional(),
        custom_spelling_config: z
          .object({
            spelling_dictionary: z.record(z.string(), z.unknown()),
          })
          .strict()
          .optional(),
        translation: z.boolean().optional(),
        translation_config: z
          .object({
            target_languages: z
              .array(
                z.enum([
                  'af',
                  'sq',
                  'am',
                  'ar',
                  'hy',
                  'as',
                  'ast',
                  'az',
                  'ba',
                  'eu',
                  'be',
                  'bn',
                  'bs',
                  'br',
                  'bg',
                  'my',
                  'ca',
                  'ceb',
                  'zh',
                  'hr',
                  'cs',
                  'da',
                  'nl',
                  'en',
                  'et',
                  'fo',
                  'fi',
                  'fr',
                  'fy',
                  'ff',
                  'gd',
                  'gl',
                  'lg',
                  'ka',
                  'de',
                  'el',
                  'gu',
                  'ht',
                  'ha',
                  'haw',
                  'he',
                  'hi',
                  'hu',
                  'is',
                  'ig',
                  'ilo',
                  'id',
                  'ga',
                  'it',
                  'ja',
                  'jp',
                  'jv',
                  'kn',
                  'kk',
                  'km',
                  'ko',
                  'lo',
                  'la',
                  'lv',
                  'ln',
                  'lt',
                  'lb',
                  'mk',
                  'mg',
                  'ms',
                  'ml',
                  'mt',
                  'mi',
                  'mr',
                  'mo',
                  'mn',
                  'mymr',
                  'ne',
                  'no',
                  'nn',
                  'oc',
                  'or',
                  'pa',
                  'ps',
                  'fa',
                  'pl',
                  'pt',
                  'ro',
                  'ru',
                  'sa',
                  'sr',
                  'sn',
                  'sd',
                  'si',
                  'sk',
                  'sl',
                  'so',
                  'es',
                  'su',
                  'sw',
                  'ss',
                  'sv',
                  'tl',
                  'tg',
                  'ta',
                  'tt',
                  'te',
                  'th',
                  'bo',
                  'tn',
                  'tr',
                  'tk',
                  'uk',
                  'ur',
                  'uz',
                  'vi',
                  'cy',
                  'wo',
                  'xh',
                  'yi',
                  'yo',
                  'zu',
                ]),
              )
              .min(1),
            model: z.enum(['base', 'enhanced']).optional(),
            match_original_utterances: z.boolean().optional(),
            lipsync: z.boolean().optional(),
            context_adaptation: z.boolean().optional(),
            context: z.string().optional(),
            informal: z.boolean().optional(),
          })
          .strict()
          .optional(),
        named_entity_recognition: z.boolean().optional(),
        sentiment_analysis: z.boolean().optional(),
      })
      .strict()
      .optional(),
    post_processing: z
      .object({
        summarization: z.boolean().optional(),
        summarization_config: z
          .object({
            type: z.enum(['general', 'bullet_points', 'concise']).optional(),
          })
          .strict()
          .optional(),
        chapterization: z.boolean().optional(),
      })
      .strict()
      .optional(),
    messages_config: z.object(gladiaMessageFlags).strict().optional(),
    callback: z.boolean().optional(),
    callback_config: z
      .object({url: z.url().optional(), ...gladiaMessageFlags})
      .strict()
      .optional(),
  })
  .strict()

// rev_streaming
const revStreamingOptions = z
  .object({
    obscure_expletives: z.boolean().optional(),
    delete_after: z.string().optional(),
    'audio_options._content_type': z.string().optional(),
    'audio_options._layout': z.string().optional(),
    'audio_options._rate': z.number().int().optional(),
    'audio_options._format': z.string().optional(),
    'audio_options._channels': z.number().int().optional(),
    transcriber: z.literal([0, 1]).optional(),
    language: z.string().optional(),
    metadata: z.string().max(512).optional(),
    filter_profanity: z.boolean().optional(),
    remove_disfluencies: z.boolean().optional(),
    detailed_partials: z.boolean().optional(),
    custom_vocabulary_id: z.string().optional(),
    delete_after_seconds: z.number().int().optional(),
    max_segment_duration_seconds: z.number().int().min(5).max(30).optional(),
    max_connection_wait_seconds: z.number().int().min(60).max(600).optional(),
    allow_interruption: z.boolean().optional(),
    enable_speaker_switch: z.boolean().optional(),
    start_ts: z.string().optional(),
    skip_postprocessing: z.boolean().optional(),
    priority: z.literal([0, 1]).optional(),
    user_agent: z.string().optional(),
  })
  .strict()

// aws_transcribe_streaming
const awsTranscribeStreamingFields = z
  .object({
    language_code: z.string().optional(),
    vocabulary_filter_method: z.string().optional(),
    vocabulary_filter_name: z.string().optional(),
    vocabulary_name: z.string().optional(),
    region: z.string().optional(),
    enable_partial_results_stabilization: z.boolean().optional(),
    partial_results_stability: z.string().optional(),
    content_identification_type: z.string().optional(),
    content_redaction_type: z.string().optional(),
    pii_entity_types: z.string().optional(),
    language_model_name: z.string().optional(),
    identify_language: z.boolean().optional(),
    language_options: z.string().optional(),
    preferred_language: z.string().optional(),
    vocabulary_names: z.string().optional(),
    vocabulary_filter_names: z.string().optional(),
  })
  .strict()

// speechmatics_streaming
const speechmaticsStreamingOptions = z
  .object({
    language: z.string(),
    domain: z.string().optional(),
    output_locale: z.string().min(1).optional(),
    additional_vocab: z
      .array(
        z.union([
          z.string().min(1),
          z
            .object({
              content: z.string().min(1),
              sounds_like: z.array(z.string().min(1)).min(1).optional(),
            })
            .strict(),
        ]),
      )
      .optional(),
    diarization: z.enum(['none', 'speaker']).optional(),
    max_delay: z.number().min(0).optional(),
    max_delay_mode: z.enum(['flexible', 'fixed']).optional(),
    speaker_diarization_config: z
      .object({
        max_speakers: z.number().min(2).max(100).optional(),
        prefer_current_speaker: z.boolean().optional(),
        speaker_sensitivity: z.number().min(0).max(1).optional(),
      })
      .strict()
      .optional(),
    audio_filtering_config: z
      .object({
        volume_threshold: z.number().min(0).max(100).optional(),
      })
      .strict()
      .optional(),
    transcript_filtering_config: z
      .object({
        remove_disfluencies: z.boolean().optional(),
        replacements: z
          .array(
            z
              .object({
                from: z.string(),
                to: z.string(),
              })
              .strict(),
          )
          .optional(),
      })
      .strict()
      .optional(),
    enable_partials: z.boolean().optional(),
    enable_entities: z.boolean().optional(),
    operating_point: z.enum(['standard', 'enhanced']).optional(),
    punctuation_overrides: z
      .object({
        permitted_marks: z.array(z.string().regex(/^(.|all)$/)).optional(),
        sensitivity: z.number().min(0).max(1).optional(),
      })
      .strict()
      .optional(),
    conversation_config: z
      .object({
        end_of_utterance_silence_trigger: z.number().min(0).max(2).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()

// meeting_captions: the spec leaves this object open (`{type: object}`); it has no options, so we take none: a key here is a typo.
const meetingCaptionsOptions = z.object({}).strict()

// The spec's `oneOf: [{required: [language_code]}, {required: [identify_language, language_options],
// identify_language: true}]`: exactly one way of choosing the language.
const awsTranscribeStreamingOptions = awsTranscribeStreamingFields.superRefine((options, ctx) => {
  const byCode = options.language_code !== undefined
  const byIdentification = options.identify_language === true && options.language_options !== undefined
  if (byCode === byIdentification) {
    ctx.addIssue({
      code: 'custom',
      message: byCode
        ? 'aws_transcribe_streaming takes language_code or identify_language: true with language_options, not both: remove one'
        : 'aws_transcribe_streaming needs language_code (e.g. en-US), or identify_language: true with language_options (e.g. "en-US,es-US")',
      path: [],
    })
  }
})

/** Each provider's options schema, by provider key. */
export const TRANSCRIPT_PROVIDER_OPTIONS = {
  recallai_streaming: recallaiStreamingOptions,
  assembly_ai_async_chunked: assemblyAiAsyncChunkedOptions,
  assembly_ai_v3_streaming: assemblyAiV3StreamingOptions,
  deepgram_streaming: deepgramStreamingOptions,
  gladia_v2_streaming: gladiaV2StreamingOptions,
  rev_streaming: revStreamingOptions,
  aws_transcribe_streaming: awsTranscribeStreamingOptions,
  speechmatics_streaming: speechmaticsStreamingOptions,
  meeting_captions: meetingCaptionsOptions,
} as const satisfies Record<TranscriptProviderName, z.ZodType>

/** `{<one provider key>: {...options}}`. */
export const transcriptProviderSchema = z
  .object({
    recallai_streaming: recallaiStreamingOptions.optional(),
    assembly_ai_async_chunked: assemblyAiAsyncChunkedOptions.optional(),
    assembly_ai_v3_streaming: assemblyAiV3StreamingOptions.optional(),
    deepgram_streaming: deepgramStreamingOptions.optional(),
    gladia_v2_streaming: gladiaV2StreamingOptions.optional(),
    rev_streaming: revStreamingOptions.optional(),
    aws_transcribe_streaming: awsTranscribeStreamingOptions.optional(),
    speechmatics_streaming: speechmaticsStreamingOptions.optional(),
    meeting_captions: meetingCaptionsOptions.optional(),
  })
  .strict()
  .superRefine((provider, ctx) => {
    const chosen = Object.keys(provider).filter((key) => provider[key as TranscriptProviderName] !== undefined)
    if (chosen.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          chosen.length === 0
            ? `transcript.provider needs exactly one provider key, one of: ${TRANSCRIPT_PROVIDERS.join(', ')}`
            : `transcript.provider takes exactly one provider key, found ${chosen.length}: ${chosen.join(', ')}; keep one`,
        path: [],
      })
    }
  })
  .meta({
    minProperties: 1,
    maxProperties: 1,
    description: `Exactly one provider key, with its options: ${TRANSCRIPT_PROVIDERS.join(', ')}. A child profile's provider replaces its parent's whole.`,
  })
export type TranscriptProvider = z.infer<typeof transcriptProviderSchema>

export const transcriptDiarizationSchema = z
  .object({
    use_separate_streams_when_available: z
      .boolean()
      .optional()
      .describe("Tell speakers apart by each participant's own audio stream where the platform provides one."),
  })
  .strict()
  .describe('How speakers are told apart.')

export const transcriptSchema = z
  .object({
    metadata: metadataMapSchema.optional(),
    provider: transcriptProviderSchema,
    diarization: transcriptDiarizationSchema.optional(),
  })
  .strict()
  .describe('A transcript of the recording, by one provider.')
export type Transcript = z.infer<typeof transcriptSchema>

// ---------------------------------------------------------------------------------------------------
// Real-time endpoints: one variant per `type`, each with its own allowed events.

const REALTIME_TYPE_DESCRIPTIONS: Record<RealtimeEndpointType, string> = {
  rtmp: 'rtmp: streams the mixed video (needs video_mixed_flv on; events exactly [video_mixed_flv.data]).',
  websocket: 'websocket: participant events, transcripts, and raw audio or video frames.',
  webhook: 'webhook: participant events and transcripts, POSTed as JSON.',
  desktop_sdk_callback: 'desktop_sdk_callback: events delivered to the Desktop Recording SDK; no url.',
}

const REALTIME_EVENTS_DESCRIPTIONS: Record<RealtimeEndpointType, string> = {
  rtmp: 'Exactly [video_mixed_flv.data].',
  websocket: 'Events to receive. transcript.* needs transcript on; <artifact>.data needs that artifact on.',
  webhook: 'Events to receive: participant_events.* and transcript.* (transcript.* needs transcript on).',
  desktop_sdk_callback: 'Events to receive. transcript.* needs transcript on; <artifact>.data needs that artifact on.',
}

const realtimeUrlEndpoint = <T extends 'rtmp' | 'websocket' | 'webhook'>(type: T) =>
  z
    .object({
      metadata: metadataMapSchema.optional(),
      type: z.literal(type).describe(REALTIME_TYPE_DESCRIPTIONS[type]),
      url: z
        .url()
        .describe(
          `Where Recall sends the data (${type === 'rtmp' ? 'rtmp:// or rtmps://' : type === 'websocket' ? 'wss://' : 'https://'}). Not localhost: Recall's firewall refuses it. A token belongs in \${env:NAME}.`,
        ),
      events: z.array(z.enum(REALTIME_EVENTS_BY_TYPE[type])).describe(REALTIME_EVENTS_DESCRIPTIONS[type]),
    })
    .strict()
    .describe(`${type === 'rtmp' ? 'An' : 'A'} ${type} real-time endpoint.`)

export const rtmpEndpointSchema = realtimeUrlEndpoint('rtmp')
export const websocketEndpointSchema = realtimeUrlEndpoint('websocket')
export const webhookEndpointSchema = realtimeUrlEndpoint('webhook')
/** The desktop SDK receives events in-process: no url. */
export const desktopSdkCallbackEndpointSchema = z
  .object({
    metadata: metadataMapSchema.optional(),
    type: z.literal('desktop_sdk_callback').describe(REALTIME_TYPE_DESCRIPTIONS.desktop_sdk_callback),
    events: z
      .array(z.enum(REALTIME_EVENTS_BY_TYPE.desktop_sdk_callback))
      .describe(REALTIME_EVENTS_DESCRIPTIONS.desktop_sdk_callback),
  })
  .strict()
  .describe('A desktop SDK callback: events go to the Desktop Recording SDK in-process, no url.')

export const realtimeEndpointSchema = z.discriminatedUnion('type', [
  rtmpEndpointSchema,
  websocketEndpointSchema,
  webhookEndpointSchema,
  desktopSdkCallbackEndpointSchema,
])
export type RealtimeEndpoint = z.infer<typeof realtimeEndpointSchema>

// ---------------------------------------------------------------------------------------------------
// Retention

/**
 * `{type: timed, hours?}` or `{type: forever}`. The spec makes `hours` optional (its default is 168);
 * NOTES.md writes it as present. We follow the spec. The spec's `forever` variant is an open object;
 * ours is closed.
 */
export const retentionSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('timed').describe('Delete the media after `hours`.'),
      hours: z
        .number()
        .int()
        .min(1)
        .optional()
        .meta({description: 'Hours to keep the media, from the end of the recording.', default: 168}),
    })
    .strict()
    .describe('Keep the media for a number of hours.'),
  z
    .object({type: z.literal('forever').describe('Never delete the media automatically.')})
    .strict()
    .describe('Keep the media until you delete it.'),
])
export type Retention = z.infer<typeof retentionSchema>

export const includeBotInRecordingSchema = z
  .object({
    audio: z
      .boolean()
      .optional()
      .meta({description: "Record the bot's own audio (what it plays into the meeting).", default: false}),
  })
  .strict()

// ---------------------------------------------------------------------------------------------------
// The body

/** An artifact field: `{metadata?}` turns it on, `null` turns it off, absent takes the endpoint default. */
const artifactField = (description: string) => baseArtifactSchema.nullable().optional().describe(description)

/**
 * Every field optional (absent = the endpoint's default); nullable exactly where the spec says.
 * Keep refinements off this top level: config/ derives the profile schema from it, and zod 4 refuses
 * `.partial()` (and may refuse more) on refined objects. Rules between fields live in cross-field-rules.ts.
 */
export const startRecordingBodySchema = z
  .object({
    transcript: transcriptSchema
      .nullable()
      .optional()
      .meta({
        description: 'Transcribe the recording: {provider: {<one provider>: {...options}}}. Default: null (no transcript).',
        examples: [{provider: {recallai_streaming: {language_code: 'en', mode: 'prioritize_accuracy'}}}],
      }),
    realtime_endpoints: z
      .array(realtimeEndpointSchema)
      .optional()
      .meta({
        description:
          'Endpoints that receive data during the meeting (webhook, websocket, rtmp, desktop_sdk_callback). Default: [].',
        examples: [
          [
            {
              type: 'webhook',
              url: 'https://hooks.example.com/recall?token=${env:HOOK_TOKEN}',
              events: ['participant_events.join', 'participant_events.leave'],
            },
          ],
        ],
      }),
    retention: retentionSchema
      .nullable()
      .optional()
      .meta({
        description:
          'How long Recall keeps the recording: {type: timed, hours: N} or {type: forever}. Default: timed, 168 hours.',
        examples: [{type: 'timed', hours: 720}],
      }),
    video_mixed_layout: z.enum(VIDEO_MIXED_LAYOUTS).optional().describe('Layout of the mixed video. Default: speaker_view.'),
    video_mixed_mp4: artifactField('Mixed video as mp4. Default: {} (on).'),
    participant_events: artifactField('Participant events. Default: {} (on).'),
    meeting_metadata: artifactField('Meeting metadata. Default: {} (on).'),
    video_mixed_participant_video_when_screenshare: z
      .enum(PARTICIPANT_VIDEO_WHEN_SCREENSHARE_MODES)
      .optional()
      .describe("Participants' video in the mixed video while a screen is shared. Default: overlap."),
    start_recording_on: z
      .enum(START_RECORDING_ON_TRIGGERS)
      .optional()
      .describe('When automatic recording starts. Default: participant_join.'),
    include_bot_in_recording: includeBotInRecordingSchema
      .optional()
      .meta({description: "Whether the bot's own audio is recorded. Default: {audio: false}.", examples: [{audio: true}]}),
    metadata: metadataMapSchema.optional().meta({
      description: "The recording's metadata: string keys, string values (quote numbers and booleans).",
      examples: [{team: 'sales'}],
    }),
    audio_mixed_raw: artifactField('Mixed audio, raw. Default: null (off).'),
    audio_mixed_mp3: artifactField('Mixed audio as mp3. Default: null (off).'),
    video_separate_mp4: artifactField(
      'Separate video per participant as mp4; needs video_mixed_layout: gallery_view_v2. Default: null (off).',
    ),
    audio_separate_raw: artifactField('Separate audio per participant, raw. Default: null (off).'),
    audio_separate_mp3: artifactField('Separate audio per participant as mp3. Default: null (off).'),
    video_mixed_flv: artifactField('Mixed video as flv; needed by rtmp endpoints. Default: null (off).'),
    video_separate_png: artifactField(
      'Separate video per participant as png frames; needs video_mixed_layout: gallery_view_v2. Default: null (off).',
    ),
    video_separate_h264: artifactField('Separate video per participant as h264. Default: null (off).'),
  })
  .strict()

export type StartRecordingBody = z.infer<typeof startRecordingBodySchema>
/** A body with every top-level field written out (what recallctl sends). */
export type CompleteStartRecordingBody = {[K in BodyField]-?: Exclude<StartRecordingBody[K], undefined>}
