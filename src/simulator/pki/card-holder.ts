/** The person a card belongs to, as the simulator knows them. */
export interface CardHolder {
  fiscalCode: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  email?: string;
  documentNumber?: string;
}
