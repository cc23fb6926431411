/** A record of the access registry as the citizen sees it (docs/registry.md). */
export interface AccessHistoryRecord {
  seq: number;
  recordedAt: string;
  kind: string;
  clientId: string | null;
  details: Record<string, unknown>;
  personal: Record<string, unknown> | null;
}

/** The citizen's own management on the page, as the registry records it. */
export type ManagementAction =
  | 'account-sign-in'
  | 'withdraw-offline-access'
  | 'credentials-activated'
  | 'contact-confirmed'
  | 'password-changed'
  | 'credentials-withdrawn'
  | 'passkey-enrolled'
  | 'passkey-withdrawn'
  | 'contact-changed'
  | 'username-changed'
  | 'passkey-renamed'
  | 'app-device-default'
  | 'app-device-withdrawn';

/** The citizen's own records in the access registry; the composition plugs the registry in. */
export interface AccessHistory {
  /** Sign-ins, consents and the citizen's own management, newest first. */
  list(accountId: string): Promise<AccessHistoryRecord[]>;
  /** Everything recorded about the citizen; the download is itself recorded. */
  download(accountId: string): Promise<AccessHistoryRecord[]>;
  /** Records the citizen's own management: a sign-in to the page before it opens, a withdrawal once done. */
  manage(entry: { accountId: string; action: ManagementAction; clientId?: string; certificateSerial?: string }): Promise<void>;
}
