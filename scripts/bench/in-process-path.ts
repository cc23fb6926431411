import { VirtualCieCard } from '../../src/simulator/card/index.js';
import { InProcessTerminal } from '../../src/transport/in-process.js';
import type { BenchEnvironment } from './bench-environment.js';
import { LoginSampler, type CardPath } from './card-logins.js';
import { TimedCardPort } from './timed-card-port.js';

/** Part 1: the virtual card in this process, as the bridge's `virtual` transport reaches it. */
export function openInProcessPath(environment: BenchEnvironment): CardPath {
  const card = new TimedCardPort(new VirtualCieCard(environment.card));
  const terminal = new InProcessTerminal(card);
  return { sampler: new LoginSampler(terminal, card, environment.deviceAuthKeys), close: () => terminal.close() };
}
