// `npm start`: the whole "Entra con CIE" system on this machine, in memory, with a virtual card.
import { startLocalStack } from '../src/demo/local-stack.js';
import { DEMO_HOLDER, DEMO_PIN, DEMO_PUK } from '../src/simulator/demo-environment.js';

const stack = await startLocalStack({
  dir: process.env.DEMO_DIR ?? 'var',
  keysDir: process.env.KEYS_DIR ?? 'keys',
  bridgeInChildProcess: true,
  ports: { provider: 3000, rp: 3001, bridge: 3900, pki: 8980 },
});

console.log(`
  Entra con CIE — demo running (in-memory storage, virtual card)

    Relying party "Comune di Esempio"   ${stack.rpUrl}        ← start here
    OpenID Provider                     ${stack.issuer}   (/.well-known/openid-configuration)
    "I tuoi accessi" (withdraw offline) ${stack.issuer}/account
    Card bridge ("Software CIE")        ${stack.bridge.url}
    Test PKI: OCSP responder and CRLs   ${stack.pkiServer.url}

  Test card: ${DEMO_HOLDER.givenName} ${DEMO_HOLDER.familyName}, codice fiscale ${DEMO_HOLDER.fiscalCode}
    PIN ${DEMO_PIN}   PUK ${DEMO_PUK}   (3 wrong PINs block the PIN; unblock with the PUK)
    card file: var/cards/demo-card.json (keeps its counters between runs)

  Stop with Ctrl+C.
`);

const stop = () => void stack.close().finally(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
