import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CieCardData } from '../../../src/simulator/card/card-data.js';
import { createDeviceAuthKeys, deviceAuthCaPublic, type DeviceAuthKeys } from '../../../src/simulator/card/device-auth-keys.js';
import { mintCard } from '../../../src/simulator/card/mint-card.js';
import { loadDocumentSigner, type DocumentSigner } from '../../../src/simulator/pki/document-signer.js';
import { initTestPki } from '../../../src/simulator/pki/init-test-pki.js';
import { signSecurityObject } from '../../../src/simulator/pki/security-object-signer.js';

export const SOD_HOLDER = { fiscalCode: 'RSSMRA80A01H501U', givenName: 'Mario', familyName: 'Rossi', birthDate: '1980-01-01' };

export interface SodCard {
  readonly dir: string;
  readonly card: CieCardData;
  readonly signer: DocumentSigner;
  readonly deviceKeys: DeviceAuthKeys;
}

/** A card minted by the test PKI in a fresh directory, with its EF.SOD signed by that PKI's Document Signer. */
export async function mintSodCard(): Promise<SodCard> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sod-card-'));
  const [pki, signer, deviceKeys] = await Promise.all([initTestPki(dir), loadDocumentSigner(dir), createDeviceAuthKeys()]);
  const card = await mintCard(
    { holder: SOD_HOLDER, pin: '12345678', puk: '87654321', deviceAuthCa: deviceAuthCaPublic(deviceKeys) },
    (request) => pki.issueCardCertificate(request),
    (dataGroups) => signSecurityObject(signer, dataGroups),
  );
  return { dir, card, signer, deviceKeys };
}
