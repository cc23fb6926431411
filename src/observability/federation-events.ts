import { loggerFor } from '../shared/logger.js';
import { federationResolutionDuration, federationResolutions } from './metrics.js';

type FederationEvent = Record<string, unknown>;

const log = loggerFor('federation');

/** Refusals are worth a warning; the rest (resolutions, own trust marks) is information. */
const WARNINGS = new Set(['federation_client_refused']);

export function logFederationEvent(event: FederationEvent): void {
  if (typeof event.event === 'string' && WARNINGS.has(event.event)) log.warn(event);
  else log.info(event);
}

/**
 * The federation's event sink (federation-op.ts `log`): each trust-chain resolution also becomes the
 * resolution metrics (outcome code, duration); the event itself goes to `sink` (default: the logger).
 */
export function federationEvents(sink: (event: FederationEvent) => void = logFederationEvent): (event: FederationEvent) => void {
  return (event) => {
    if (event.event === 'federation_trust_chain_resolution') {
      const outcome = typeof event.outcome === 'string' ? event.outcome : 'unknown';
      federationResolutions.inc({ outcome });
      if (typeof event.duration_ms === 'number') federationResolutionDuration.observe({ outcome }, event.duration_ms / 1000);
    }
    sink(event);
  };
}
