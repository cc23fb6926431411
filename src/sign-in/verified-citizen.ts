/** The stable id of a sign-in method: recorded in the access registry and in metrics labels. */
export type SignInMethodId = 'cie-card' | (string & {});

/** What any sign-in method hands to its waiter once the citizen is verified. */
export interface VerifiedCitizen {
  method: SignInMethodId;
  fiscalCode: string;
  /** CIE claims (fiscal_number, given_name, …), from the card's certificate or the stored identity. */
  claims: Record<string, unknown>;
  /** The level reached and how (ID token `acr` and `amr`). */
  acr: string;
  amr: string[];
  /** Serial number of the card's authentication certificate, when a card signed: for the access registry. */
  certificateSerial?: string;
}
