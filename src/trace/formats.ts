/**
 * The names of the trace formats, apart from their readers (trace/recorded.ts), so a flag can be
 * checked without loading the readers (docs/architecture.md, "Flags").
 */
export const TRACE_FORMATS = ['llmcache', 'mooncake', 'azure', 'burstgpt', 'csv', 'jsonl'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];
/** Formats read from another shape than llmcache's own. */
export const RECORDED_FORMATS = ['mooncake', 'azure', 'burstgpt', 'csv', 'jsonl'] as const;
