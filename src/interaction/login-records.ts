/**
 * Where the login steps record what the access registry keeps (docs/registry.md). The composition
 * plugs the registry in; a method other than the card records through the same calls. Each call
 * resolves only once its record is durable: the step that calls it finishes only then.
 */
export interface SignInRecord {
  /** The interaction whose authorization request is recorded with the sign-in. */
  interactionUid: string;
  clientId: string;
  accountId?: string;
  /** The VerifiedCitizen's or the failure's method; for an abort on the login page, the methods it offered (space-separated). */
  method: string;
  outcome: 'authenticated' | 'refused' | 'cancelled';
  errorCode?: string;
  acr?: string;
  amr?: string[];
  attributes?: Record<string, unknown>;
  certificateSerial?: string;
  /** The authorization request's parameters as the provider understood them. */
  requestParameters?: Record<string, unknown>;
}

export interface ConsentRecord {
  clientId: string;
  accountId: string;
  grantId: string;
  scopes: string[];
  /** The attributes released, name → value. */
  released: Record<string, unknown>;
  offlineAccess: boolean;
}

export interface LoginRecords {
  signIn(record: SignInRecord): Promise<void>;
  consent(record: ConsentRecord): Promise<void>;
}

/** No registry (unit tests of other parts): nothing is recorded. */
export const noLoginRecords: LoginRecords = {
  signIn: async () => {},
  consent: async () => {},
};
