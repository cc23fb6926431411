import type { Signer } from './ca-certificates.js';
import { createRogueResponderCertificate } from './ca-certificates.js';
import { createCardCertificate } from './card-certificate.js';
import type { IssueCardCertificateRequest } from './card-certificate.js';
import { createCrl, crlReason } from './crl.js';
import { withFileLock } from './file-lock.js';
import { answerOcspRequest } from './ocsp-responder.js';
import { assertOcspResponseOptions } from './ocsp-response-options.js';
import type { OcspResponderMode, OcspResponseOptions } from './ocsp-response-options.js';
import { assertWholeSeconds } from './option-checks.js';
import type { OcspAuthority, OcspCertStatus, OcspSigningIdentity } from './ocsp-responder.js';
import { pkiPath, readCertificate, readSigningKey, readState, writeCrl, writeState } from './pki-files.js';
import { issuedCertificate, revocationOf, statusIn } from './pki-state.js';
import type { CaRole, CertificateStatus, PkiState, RevocationReason } from './pki-state.js';
import { pkiUrls } from './pki-urls.js';
import { CA_KEY_BITS, DEFAULT_CRL_NEXT_UPDATE_SECONDS, DEFAULT_OCSP_NEXT_UPDATE_SECONDS } from './profile.js';
import { generateRsaKeyPair } from './rsa-keys.js';
import { normaliseSerialHex, randomSerialHex } from './serial-number.js';
import { revokeIn, suspendIn, unsuspendIn } from './status-transitions.js';
import type { X509 } from '../../shared/x509.js';

export interface LoadTestPkiOptions {
  /** nextUpdate - thisUpdate of every CRL; default one day. */
  crlNextUpdateSeconds?: number;
}

export interface TestPki {
  readonly dir: string;
  rootCertificate: X509.X509Certificate;
  issuingCaCertificate: X509.X509Certificate;
  ocspResponderCertificate: X509.X509Certificate;
  /** Issues the card's authentication certificate for the given RSA public key (node KeyObject). */
  issueCardCertificate(request: IssueCardCertificateRequest): Promise<{ der: Uint8Array<ArrayBuffer>; serialNumber: string }>;
  revoke(serialHex: string, reason?: RevocationReason): Promise<void>;
  /** certificateHold */
  suspend(serialHex: string): Promise<void>;
  /** Back to good (the hold disappears from the CRL). */
  unsuspend(serialHex: string): Promise<void>;
  statusOf(serialHex: string): CertificateStatus;
  /** DER, freshly signed. */
  currentCrl(ca: CaRole): Promise<Uint8Array<ArrayBuffer>>;
  /** DER OCSPResponse for a DER OCSPRequest; never throws. */
  ocspResponse(requestDer: Uint8Array, options?: OcspResponseOptions): Promise<Uint8Array<ArrayBuffer>>;
}

/** Every read goes to the state file, so a CLI run in another process is seen at once. */
export async function loadTestPki(dir: string, options: LoadTestPkiOptions = {}): Promise<TestPki> {
  assertWholeSeconds('crlNextUpdateSeconds', options.crlNextUpdateSeconds);
  const crlNextUpdateSeconds = options.crlNextUpdateSeconds ?? DEFAULT_CRL_NEXT_UPDATE_SECONDS;
  const urls = pkiUrls(readState(dir).baseUrl);
  const root: Signer = { certificate: await readCertificate(dir, 'rootCertificate'), key: await readSigningKey(dir, 'rootKey') };
  const issuing: Signer = { certificate: await readCertificate(dir, 'issuingCertificate'), key: await readSigningKey(dir, 'issuingKey') };
  const delegate: OcspSigningIdentity = {
    certificate: await readCertificate(dir, 'ocspResponderCertificate'),
    key: await readSigningKey(dir, 'ocspResponderKey'),
  };
  const signers: Record<CaRole, Signer> = { root, issuing };
  let rogue: Promise<OcspSigningIdentity> | undefined;

  async function update(change: (state: PkiState) => PkiState, affected: (state: PkiState) => CaRole | undefined): Promise<void> {
    await withFileLock(pkiPath(dir, 'lock'), async () => {
      const next = change(readState(dir));
      await writeState(dir, next);
      const role = affected(next);
      // Keep the CRL file in the directory in step with the state (the server signs its own anyway).
      if (role) await writeCrl(dir, role === 'root' ? 'rootCrl' : 'issuingCrl', await createCrl(signers[role], role, next, new Date(), crlNextUpdateSeconds));
    });
  }

  function changeStatus(serialHex: string, change: (state: PkiState, serial: string) => PkiState): Promise<void> {
    const serial = normaliseSerialHex(serialHex);
    return update(
      (state) => change(state, serial),
      (state) => issuedCertificate(state, serial)?.issuer,
    );
  }

  function ocspStatus(role: CaRole, serial: string): OcspCertStatus {
    const state = readState(dir);
    if (issuedCertificate(state, serial)?.issuer !== role) return { status: 'unknown' };
    const revocation = revocationOf(state, serial);
    if (!revocation) return { status: 'good' };
    return { status: 'revoked', revokedAt: new Date(revocation.revokedAt), reason: crlReason(revocation.reason) };
  }

  async function responderFor(mode: OcspResponderMode, role: CaRole): Promise<OcspSigningIdentity> {
    if (mode === 'unauthorised') return (rogue ??= createRogueResponder());
    // The root has no delegated responder: it answers for the issuing CA itself.
    if (mode === 'issuer' || role === 'root') return signers[role];
    return delegate;
  }

  return {
    dir,
    rootCertificate: root.certificate,
    issuingCaCertificate: issuing.certificate,
    ocspResponderCertificate: delegate.certificate,

    async issueCardCertificate(request) {
      const serialNumber = randomSerialHex();
      const certificate = await createCardCertificate(issuing, request, serialNumber, urls, new Date());
      await update(
        (state) => ({
          ...state,
          issued: { ...state.issued, [serialNumber]: { issuer: 'issuing', subject: certificate.subject, notAfter: certificate.notAfter.toISOString() } },
        }),
        () => undefined,
      );
      return { der: new Uint8Array(certificate.rawData), serialNumber };
    },
    revoke: (serialHex, reason = 'unspecified') => changeStatus(serialHex, (state, serial) => revokeIn(state, serial, reason, new Date())),
    suspend: (serialHex) => changeStatus(serialHex, (state, serial) => suspendIn(state, serial, new Date())),
    unsuspend: (serialHex) => changeStatus(serialHex, (state, serial) => unsuspendIn(state, serial)),
    statusOf: (serialHex) => statusIn(readState(dir), normaliseSerialHex(serialHex)),

    async currentCrl(ca) {
      const crl = await createCrl(signers[ca], ca, readState(dir), new Date(), crlNextUpdateSeconds);
      return new Uint8Array(crl.rawData);
    },

    async ocspResponse(requestDer, options = {}) {
      assertOcspResponseOptions(options);
      const mode = options.responder ?? 'delegate';
      const authorities: OcspAuthority[] = [];
      for (const role of ['issuing', 'root'] as const) {
        authorities.push({ role, certificate: signers[role].certificate, responder: await responderFor(mode, role) });
      }
      return answerOcspRequest(requestDer, {
        authorities,
        statusOf: ocspStatus,
        now: new Date(),
        nextUpdateSeconds: options.ocspNextUpdateSeconds ?? DEFAULT_OCSP_NEXT_UPDATE_SECONDS,
        staleSeconds: options.ocspStaleSeconds ?? 0,
      });
    },
  };
}

async function createRogueResponder(): Promise<OcspSigningIdentity> {
  const keys = await generateRsaKeyPair(CA_KEY_BITS);
  return { certificate: await createRogueResponderCertificate(keys, randomSerialHex(), new Date()), key: keys.privateKey };
}
