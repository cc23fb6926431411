/** A record of the access registry as the citizen sees it (docs/registry.md). */
export interface AccessHistoryRecord {
  seq: number;
  recordedAt: string;
  kind: string;
  clientId: string | null;
  details: Record<string, unknown>;
  personal: Record<string, unknown> | null;
}

/** The citizen's own records in the access registry; the composition plugs the registry in. */
export interface AccessHistory {
  /** Sign-ins and consents, newest first. */
  list(accountId: string): Promise<AccessHistoryRecord[]>;
  /** Everything recorded about the citizen; the download is itself recorded. */
  download(accountId: string): Promise<AccessHistoryRecord[]>;
}
