import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deviceAuthCaPublic, mintCard, readDeviceAuthKeysFile, saveCardFile, writeDeviceAuthKeysFile, type CardHolder } from './card/index.js';
import { initTestPki, loadDocumentSigner, loadTestPki, PKI_FILES, signSecurityObject, type TestPki } from './pki/index.js';

/** The test citizen of the demo: a valid fiscal code (check character included). */
export const DEMO_HOLDER: CardHolder = {
  fiscalCode: 'RSSMRA85T10A562S',
  givenName: 'Mario',
  familyName: 'Rossi',
  birthDate: '1985-12-10',
  email: 'mario.rossi@example.it',
  documentNumber: 'CA00000AA',
};
export const DEMO_PIN = '12345678';
export const DEMO_PUK = '87654321';

export interface DemoEnvironment {
  dir: string;
  pki: TestPki;
  trustAnchorPath: string;
  intermediatePath: string;
  deviceKeysPath: string;
  attributeDirectoryPath: string;
  /** Mints a new card file from the test PKI (each test can have its own card and counters). */
  mintCardFile(name: string, holder?: CardHolder, codes?: { pin: string; puk: string }): Promise<string>;
}

/**
 * Everything a local stand-in for the national CIE infrastructure needs, created once under `dir`
 * and reused on later runs: test PKI (root, issuing CA, OCSP responder), device-authentication keys
 * shared by all virtual cards (as the ref-84 CA key is on real cards), the demo card, and an
 * attribute directory holding the demo citizen's e-mail.
 */
export async function prepareDemoEnvironment(dir: string, pkiBaseUrl: string): Promise<DemoEnvironment> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const pkiDir = join(dir, 'pki');
  const pki = existsSync(join(pkiDir, PKI_FILES.state)) ? await loadTestPki(pkiDir) : await initTestPki(pkiDir, { baseUrl: pkiBaseUrl });
  // EF.SOD's own hierarchy (CSCA → Document Signer), kept beside the authentication PKI.
  const documentSigner = await loadDocumentSigner(pkiDir);
  const deviceKeysPath = join(dir, 'device-auth.json');
  if (!existsSync(deviceKeysPath)) await writeDeviceAuthKeysFile(deviceKeysPath);
  const deviceAuthCa = deviceAuthCaPublic(await readDeviceAuthKeysFile(deviceKeysPath));
  await mkdir(join(dir, 'cards'), { recursive: true });

  const attributeDirectoryPath = join(dir, 'attributes.json');
  if (!existsSync(attributeDirectoryPath)) {
    await writeFile(attributeDirectoryPath, JSON.stringify({ [DEMO_HOLDER.fiscalCode]: { email: DEMO_HOLDER.email, email_verified: true } }, null, 2));
  }

  async function mintCardFile(name: string, holder: CardHolder = DEMO_HOLDER, codes = { pin: DEMO_PIN, puk: DEMO_PUK }): Promise<string> {
    const path = join(dir, 'cards', `${name}.json`);
    const card = await mintCard(
      { holder, pin: codes.pin, puk: codes.puk, deviceAuthCa },
      (request) => pki.issueCardCertificate(request),
      (dataGroups) => signSecurityObject(documentSigner, dataGroups),
    );
    await saveCardFile(path, card);
    return path;
  }

  return {
    dir,
    pki,
    trustAnchorPath: join(pkiDir, PKI_FILES.rootCertificate),
    intermediatePath: join(pkiDir, PKI_FILES.issuingCertificate),
    deviceKeysPath,
    attributeDirectoryPath,
    mintCardFile,
  };
}
