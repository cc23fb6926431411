// `npm start`: the whole "Entra con CIE" system on this machine, with a virtual card. Every variable of
// the README's configuration table is honoured (src/demo/demo-settings.ts); the demo's own defaults are printed.
import { DEMO_DEFAULTS, DEMO_PORT_VARIABLES, demoSettings } from '../src/demo/demo-settings.js';
import { startLocalStack } from '../src/demo/local-stack.js';
import { DEMO_HOLDER, DEMO_PIN, DEMO_PUK } from '../src/simulator/demo-environment.js';

const settings = demoSettings(process.env);
let draining = false;
const stack = await startLocalStack({ ...settings, draining: () => draining, serveMetrics: true });
const { providerConfig, bridgeConfig } = stack;

const storage = providerConfig.redisUrl ? 'Redis (REDIS_URL)' : 'in memory, lost on stop (set REDIS_URL for Redis)';
const card = bridgeConfig.transport === 'virtual'
  ? `virtual card file ${bridgeConfig.virtualCard} (keeps its counters between runs)`
  : 'a real reader through pcscd (BRIDGE_TRANSPORT=pcsc)';
const demoDefaults = Object.entries(DEMO_DEFAULTS).filter(([name]) => !settings.fromEnvironment.includes(name));
const anchor = stack.trustAnchor!;
// The one command that enrolls a developer's own RP at the running anchor (it re-reads its state on every request).
const enrollCommand = `npx cie-federation enroll https://my-rp.example/ --dir ${anchor.dir}`;
const anchorTrusted = providerConfig.federation.trustAnchorsFile === anchor.trustAnchorsPath
  ? ''
  : ` (the provider trusts the anchors of FEDERATION_TRUST_ANCHORS ${providerConfig.federation.trustAnchorsFile} instead)`;

console.log(`
  Entra con CIE — demo running

    Relying party "Comune di Esempio"   ${stack.rpUrl}        ← start here
    OpenID Provider                     ${stack.issuer}   (/.well-known/openid-configuration)
    "I tuoi accessi" (withdraw offline) ${stack.issuer}/account
    Card bridge ("Software CIE")        ${stack.bridge.url}
    Test PKI: OCSP responder and CRLs   ${stack.pkiServer.url}
    OpenID Federation trust anchor      ${anchor.entityId}   (/.well-known/openid-federation)${anchorTrusted}
    Metrics (Prometheus)                ${stack.metricsUrl ?? 'off (METRICS_PORT empty or in use)'}
    CieID app simulator ("the phone")   ${stack.appUrl ?? 'off (BRIDGE_TRANSPORT=pcsc: no virtual card)'}

  Storage: ${storage}
  Card: ${card}
  Relying parties: the demo RP${providerConfig.clientsFile ? ` and those in CLIENTS_FILE ${providerConfig.clientsFile}` : ' (add yours with CLIENTS_FILE)'}, and every RP enrolled at the trust anchor
  Enroll your own RP (it serves its entity configuration with authority_hints ["${anchor.entityId}"]; docs/federation.md):
    ${enrollCommand}
  Settings from the environment: ${settings.fromEnvironment.join(', ') || 'none'}
  Demo defaults in force (set the variable to change them):
${demoDefaults.map(([name, value]) => `    ${name}: ${value}`).join('\n')}
  Ports of the demo RP, the test PKI, the trust anchor and the app simulator: ${DEMO_PORT_VARIABLES.rp}, ${DEMO_PORT_VARIABLES.pki}, ${DEMO_PORT_VARIABLES.ta}, ${DEMO_PORT_VARIABLES.app}; files in DEMO_DIR (${settings.dir}).

  Test card: ${DEMO_HOLDER.givenName} ${DEMO_HOLDER.familyName}, codice fiscale ${DEMO_HOLDER.fiscalCode}
    PIN ${DEMO_PIN}   PUK ${DEMO_PUK}   (3 wrong PINs block the PIN; unblock with the PUK)
${stack.appUrl ? `
  Sign in with the smartphone (no card reader): on the login page choose "Prosegui con smartphone";
    open the app simulator ${stack.appUrl} as "the phone", type the code shown under the QR (the site is filled in)
    or paste the QR's link, check who asks and enter the PIN; then type the one-time code it shows on the computer's page.
    From a terminal instead: npx cie-app sign --card ${bridgeConfig.virtualCard} --device-keys ${bridgeConfig.deviceAuthKeys} --qr '<QR link>'

  Level 2 with the CieID app (once the credentials are activated on "I tuoi accessi" with the card):
    certify the app: ${stack.appUrl}/certify — choose its security code (6–12 digits), then the card's PIN;
    on a login asking level 2 (acr_values SpidL2: your RP's; the demo RP asks level 3) choose "Entra con l'app CieID"
    and paste the QR's link in ${stack.appUrl}/l2, or the password with "notifica sull'app" and answer in
    ${stack.appUrl}/pending by picking the number the computer shows. From a terminal: npx cie-app enrol | approve | scan-l2 (--help).
` : ''}

  Stop with Ctrl+C.
`);

const stop = () => void stack.close().finally(() => process.exit(0));
process.on('SIGINT', stop);
// As in production (server.ts): /readyz answers 503 for SHUTDOWN_DELAY seconds before the listeners close.
process.on('SIGTERM', () => {
  draining = true;
  setTimeout(stop, providerConfig.shutdownDelaySeconds * 1000);
});
