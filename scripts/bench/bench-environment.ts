import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceAuthKeys } from '../../src/card/index.js';
import { readDeviceAuthKeys } from '../../src/bridge/open-terminal.js';
import { freePort } from '../../src/shared/free-port.js';
import { loadCardFile, type CieCardData } from '../../src/simulator/card/index.js';
import { prepareDemoEnvironment, type DemoEnvironment } from '../../src/simulator/demo-environment.js';
import { startPkiServer, type PkiServer } from '../../src/simulator/pki/index.js';

export interface BenchEnvironment {
  readonly environment: DemoEnvironment;
  /** Serves OCSP at the URL written into the card certificate's AIA. */
  readonly pkiServer: PkiServer;
  /** A freshly minted card (demo holder, DEMO_PIN). */
  readonly card: CieCardData;
  readonly deviceAuthKeys: DeviceAuthKeys;
  close(): Promise<void>;
}

/** A throw-away test PKI with its OCSP/CRL server, device keys and one minted card, in a temporary directory. */
export async function createBenchEnvironment(): Promise<BenchEnvironment> {
  const dir = await mkdtemp(join(tmpdir(), 'cie-bench-'));
  try {
    const port = await freePort();
    const environment = await prepareDemoEnvironment(dir, `http://127.0.0.1:${port}`);
    const pkiServer = await startPkiServer(environment.pki, { port });
    const card = await loadCardFile(await environment.mintCardFile('bench-card'));
    const deviceAuthKeys = await readDeviceAuthKeys(environment.deviceKeysPath);
    return {
      environment,
      pkiServer,
      card,
      deviceAuthKeys,
      close: async () => {
        await pkiServer.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
