import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { relyingPartyMetadata } from '../../src/demo-rp/rp-client.js';
import type { RelyingPartyKeys } from '../../src/demo-rp/rp-keys.js';
import { freePort } from '../../src/shared/free-port.js';
import { signFederationJwt } from '../../src/federation/entity-statement.js';
import { JOSE_TYPES } from '../../src/federation/media-types.js';
import { newFederationKey, publicJwk } from '../../src/simulator/federation/federation-keys.js';
import { addIntermediate, anchorPath, enrollEntity, initAnchor } from '../../src/simulator/federation/index.js';
import type { FederationServersPlan } from './federation-servers.js';
import { startChild, type ChildService } from './login-child.js';

/** A local trust anchor in a temporary directory, not yet served: its FEDERATION_TRUST_ANCHORS file exists already. */
export interface BenchAnchor {
  dir: string;
  entityId: string;
  /** The provider's FEDERATION_TRUST_ANCHORS (the anchor's configured keys and required trust marks). */
  trustAnchorsFile: string;
  intermediateId: string;
  dispose(): Promise<void>;
}

export interface BenchFederation {
  /** Enrolled directly under the anchor. */
  direct: string;
  /** Enrolled under the anchor's intermediate. */
  viaIntermediate: string;
  /** The anchor server and both RPs' entity configuration servers, in one child process. */
  servers: ChildService;
  close(): Promise<void>;
}

const INTERMEDIATE = 'aggregatore';
const LIFETIME_SECONDS = 86_400;

export async function prepareBenchAnchor(): Promise<BenchAnchor> {
  const parent = await mkdtemp(join(tmpdir(), 'cie-bench-federation-'));
  const dir = join(parent, 'federation');
  const entityId = `http://127.0.0.1:${await freePort()}/`;
  await initAnchor(dir, { entityId, organizationName: 'Trust anchor del bench' });
  const intermediate = await addIntermediate(dir, INTERMEDIATE);
  return { dir, entityId, trustAnchorsFile: anchorPath(dir, 'trustAnchors'), intermediateId: intermediate.entityId, dispose: () => rm(parent, { recursive: true, force: true }) };
}

/**
 * Two RPs as a developer would run them (their own federation key, RP metadata with the given OIDC
 * keys, authority_hints, the trust mark the anchor issued them), enrolled one directly and one under
 * the intermediate, then the anchor and both entity configurations served from a child process.
 */
export async function startBenchFederation(anchor: BenchAnchor, rpKeys: RelyingPartyKeys): Promise<BenchFederation> {
  const protocolJwks = rpKeys.publicJwks;
  const relyingParties: FederationServersPlan['relyingParties'] = [];
  const enroll = async (via: string | undefined): Promise<string> => {
    const port = await freePort();
    const entityId = `http://127.0.0.1:${port}`;
    const key = await newFederationKey();
    const jwks = { keys: [publicJwk(key.jwk)] };
    const { trustMark } = await enrollEntity(anchor.dir, { entityId, entityType: 'openid_relying_party', jwks, protocolJwks, ...(via ? { via } : {}), organizationName: 'Comune di Esempio' });
    const now = Math.floor(Date.now() / 1000);
    const entityConfiguration = await signFederationJwt({
      iss: entityId,
      sub: entityId,
      iat: now,
      exp: now + LIFETIME_SECONDS,
      jwks,
      authority_hints: [via ? anchor.intermediateId : anchor.entityId],
      metadata: {
        federation_entity: { organization_name: 'Comune di Esempio', contacts: ['noreply@example.invalid'] },
        openid_relying_party: { ...relyingPartyMetadata(entityId, 'Comune di Esempio', rpKeys), client_registration_types: ['automatic'] },
      },
      trust_marks: [{ trust_mark_type: trustMark.type, id: trustMark.type, trust_mark: trustMark.jwt }],
    }, key, JOSE_TYPES.entityStatement);
    relyingParties.push({ port, entityConfiguration });
    return entityId;
  };
  const direct = await enroll(undefined);
  const viaIntermediate = await enroll(INTERMEDIATE);
  const planFile = join(anchor.dir, 'bench-plan.json');
  await writeFile(planFile, JSON.stringify({ anchorDir: anchor.dir, relyingParties } satisfies FederationServersPlan));
  const script = fileURLToPath(new URL('./federation-servers.js', import.meta.url));
  const servers = await startChild(process.execPath, [script, planFile], {}, /^federation ready/);
  return { direct, viaIntermediate, servers, close: () => servers.stop() };
}
