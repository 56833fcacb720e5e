/** What an API key may do; `admin` implies every other scope. */
export const SCOPES = ['ingest', 'analyst', 'detector', 'admin'] as const;

export type Scope = (typeof SCOPES)[number];
