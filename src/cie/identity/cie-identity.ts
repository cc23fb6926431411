/** The citizen as the card's authentication certificate describes them. */
export interface CieIdentity {
  /** 16-character codice fiscale, without the TINIT- prefix. */
  fiscalCode: string;
  givenName: string;
  familyName: string;
  /** YYYY-MM-DD, decoded from the fiscal code. */
  birthDate: string;
  gender: 'female' | 'male';
  /** Belfiore code of the place of birth (Zxxx: abroad), decoded from the fiscal code. */
  placeOfBirth: string;
  /** Card number: subject serialNumber after its 6-character prefix. */
  documentNumber: string;
  /** Organisation of the certificate issuer (the card's issuing authority). */
  documentIssuer: string;
  /** YYYY-MM-DD; certificate notBefore (the certificate is created when the card is personalised). */
  documentIssuedOn: string;
  /** YYYY-MM-DD; certificate notAfter (the certificate ends with the card). */
  documentExpiresOn: string;
}
