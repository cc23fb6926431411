import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { EXIT_OK, runCommand, UsageError, type CliIo } from '../command-line.js';
import { addIntermediate } from './add-intermediate.js';
import { AnchorError } from './anchor-error.js';
import { ANCHOR_FILES, DEFAULT_ANCHOR_DIR, anchorPath, readAnchorState } from './anchor-files.js';
import { startAnchorServer } from './anchor-server.js';
import { LEAF_TYPES, type LeafType } from './anchor-state.js';
import { endpointsOf } from './anchor-urls.js';
import { enrollEntity, type EnrollRequest } from './enroll-entity.js';
import { enrollRequestFromConfiguration } from './enroll-from-configuration.js';
import { initAnchor } from './init-anchor.js';
import { assertEntityId } from './entity-id.js';
import { revokeTrustMarks } from './revoke-trust-mark.js';
import { rotateAnchorKeys } from './rotate-keys.js';

export { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from '../command-line.js';

export const USAGE = `Usage: cie-federation <command> [options]        (state in --dir, default ${DEFAULT_ANCHOR_DIR})

  init [--entity-id <url>] [--organization-name <name>] [--legacy]
        create a local trust anchor (default entity id http://127.0.0.1:8970/); --legacy also emits the
        pre-final names the reference RPs read (trust_marks_issuers, federation_status_endpoint, trust-mark id)
  enroll <entity-id> [--type openid_relying_party|openid_provider] [--via <intermediate>] [--jwks <file>]
        enroll an RP or OP and issue its trust mark <anchor>/<type>/public/; its keys, type and name are
        read from its own entity configuration (<entity-id>/.well-known/openid-federation) unless --jwks
        gives its public federation JWK set (then --type defaults to openid_relying_party)
  revoke-trust-mark <entity-id>                 revoke the entity's trust marks (status: revoked)
  add-intermediate <name>                       add an intermediate at <anchor>/intermediate/<name>, with its own keys
  rotate-keys [--retire-old]                    publish a new anchor key; --retire-old stops publishing the old ones
  serve [--port <port>] [--legacy] [--metrics-port <port>]
                                                serve the anchor and its intermediates on 127.0.0.1 (default: the
                                                entity id's port); new enrollments are served at once;
                                                --metrics-port: Prometheus metrics at 127.0.0.1:<port>/metrics

Every command takes --dir <dir>. ${ANCHOR_FILES.trustAnchors} in that directory is the provider's FEDERATION_TRUST_ANCHORS.
Exit codes: 0 success, 1 failure, 2 usage error.`;


const ALLOWED: Record<string, { options: readonly string[]; operands: number }> = {
  init: { options: ['dir', 'entity-id', 'organization-name', 'legacy'], operands: 0 },
  enroll: { options: ['dir', 'type', 'via', 'jwks'], operands: 1 },
  'revoke-trust-mark': { options: ['dir'], operands: 1 },
  'add-intermediate': { options: ['dir'], operands: 1 },
  'rotate-keys': { options: ['dir', 'retire-old'], operands: 0 },
  serve: { options: ['dir', 'port', 'legacy', 'metrics-port'], operands: 0 },
};

/** Runs one cie-federation command and returns its exit code; never throws. */
export function runFederationCli(argv: readonly string[], io: CliIo): Promise<number> {
  return runCommand('cie-federation', USAGE, AnchorError, () => run(argv, io), io);
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      dir: { type: 'string' },
      'entity-id': { type: 'string' },
      'organization-name': { type: 'string' },
      legacy: { type: 'boolean' },
      type: { type: 'string' },
      via: { type: 'string' },
      jwks: { type: 'string' },
      'retire-old': { type: 'boolean' },
      port: { type: 'string' },
      'metrics-port': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(USAGE);
    return EXIT_OK;
  }
  const [command, ...operands] = positionals;
  if (!command) throw new UsageError('missing command');
  const allowed = Object.hasOwn(ALLOWED, command) ? ALLOWED[command] : undefined;
  if (!allowed) throw new UsageError(`unknown command "${command}"`);
  for (const option of Object.keys(values)) {
    if (!allowed.options.includes(option)) throw new UsageError(`option --${option} does not apply to "${command}"`);
  }
  if (operands.length !== allowed.operands) throw new UsageError(allowed.operands === 1 ? `"${command}" needs exactly one operand` : `"${command}" takes no operands`);
  const dir = values.dir ?? DEFAULT_ANCHOR_DIR;
  const operand = operands[0] ?? '';

  switch (command) {
    case 'init': {
      const state = await initAnchor(dir, { entityId: values['entity-id'], organizationName: values['organization-name'], legacy: values.legacy });
      io.out(`Created a local trust anchor in ${dir}`);
      io.out(`  entity id:    ${state.entityId}`);
      io.out(`  for the OP:   FEDERATION_TRUST_ANCHORS=${anchorPath(dir, 'trustAnchors')}`);
      io.out(`  serve it:     cie-federation serve --dir ${dir}`);
      return EXIT_OK;
    }
    case 'enroll':
      return enroll(dir, operand, values, io);
    case 'revoke-trust-mark': {
      const revoked = await revokeTrustMarks(dir, assertEntityId(operand));
      for (const mark of revoked) io.out(`Revoked the trust mark ${mark.type} of ${mark.subject}`);
      return EXIT_OK;
    }
    case 'add-intermediate': {
      const intermediate = await addIntermediate(dir, operand);
      io.out(`Added the intermediate "${intermediate.name}": ${intermediate.entityId}`);
      io.out(`  enroll under it: cie-federation enroll <entity-id> --via ${intermediate.name} --dir ${dir}`);
      return EXIT_OK;
    }
    case 'rotate-keys': {
      const result = await rotateAnchorKeys(dir, { retireOld: values['retire-old'] });
      if (result.added) io.out(`Added the anchor key ${result.added.kid}`);
      for (const key of result.retired) io.out(`Retired the anchor key ${key.kid}`);
      io.out(`Published keys: ${result.published.map((key) => key.kid).join(', ')} (${anchorPath(dir, 'trustAnchors')} updated)`);
      return EXIT_OK;
    }
    default:
      return serve(dir, { port: values.port, metricsPort: values['metrics-port'], legacy: values.legacy }, io);
  }
}

async function enroll(dir: string, entityId: string, values: { type?: string; via?: string; jwks?: string }, io: CliIo): Promise<number> {
  assertEntityId(entityId);
  if (values.type !== undefined && !(LEAF_TYPES as readonly string[]).includes(values.type)) throw new UsageError(`--type must be ${LEAF_TYPES.join(' or ')}`);
  const entityType = values.type as LeafType | undefined;
  readAnchorState(dir); // a missing anchor is reported before any fetch
  let request: EnrollRequest;
  if (values.jwks !== undefined) {
    let jwks: unknown;
    try {
      jwks = JSON.parse(await readFile(values.jwks, 'utf8'));
    } catch (cause) {
      throw new AnchorError('ANCHOR_INVALID_JWKS', `cannot read a JSON JWK set from ${values.jwks}`, {}, { cause });
    }
    request = { entityId, entityType: entityType ?? 'openid_relying_party', jwks: jwks as EnrollRequest['jwks'], ...(values.via !== undefined ? { via: values.via } : {}) };
  } else {
    request = await enrollRequestFromConfiguration(entityId, { entityType, via: values.via });
  }
  const { enrollment, trustMark, newTrustMark } = await enrollEntity(dir, request);
  const superior = endpointsOf(enrollment.superior);
  io.out(`Enrolled ${enrollment.entityId} as ${enrollment.entityType} under ${enrollment.superior}`);
  io.out(`  trust mark:   ${trustMark.type}${newTrustMark ? '' : ' (kept the active one)'}`);
  io.out(`  its statement and trust mark: ${superior.fetch}?sub=${encodeURIComponent(enrollment.entityId)}`);
  io.out(`  publish authority_hints ["${enrollment.superior}"] and that trust mark in your entity configuration`);
  return EXIT_OK;
}

function portOption(text: string | undefined, flag: string): number | undefined {
  const port = text === undefined ? undefined : Number(text);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65_535)) throw new UsageError(`invalid ${flag} "${text}"`);
  return port;
}

async function serve(dir: string, values: { port?: string | undefined; metricsPort?: string | undefined; legacy?: boolean | undefined }, io: CliIo): Promise<number> {
  const port = portOption(values.port, 'port');
  const metricsPort = portOption(values.metricsPort, '--metrics-port');
  const { legacy } = values;
  const server = await startAnchorServer(dir, { ...(port !== undefined ? { port } : {}), ...(metricsPort !== undefined ? { metricsPort } : {}), ...(legacy ? { legacy } : {}) });
  const legacyNames = legacy || readAnchorState(dir).legacy;
  io.out(`Serving the trust anchor ${server.entityId} at ${server.url}${legacyNames ? ' (legacy names too)' : ''}; stop with Ctrl-C`);
  if (server.metricsUrl) io.out(`Metrics at ${server.metricsUrl}`);
  await io.waitForShutdown();
  await server.close();
  return EXIT_OK;
}
