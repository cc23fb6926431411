import type { X509Certificate, X509Crl } from '@peculiar/x509';
import { createHash } from 'node:crypto';
import { AssertionError } from '../verify/assertion-error.js';
import { BoundedCache } from '../../shared/bounded-cache.js';
import { revocationCacheHits, revocationFetchDuration, revocationFetches, secondsSince } from '../../observability/metrics.js';
import { checkCrlEntry, validateCrl } from './crl-check.js';
import { crlUrlsOf, ocspUrlsOf } from './distribution-points.js';
import { fetchBytes, type FetchLimits } from './fetch-bytes.js';
import { buildOcspRequest } from './ocsp-request.js';
import { evaluateOcspResponse } from './ocsp-response.js';
import type { RevocationChecker, RevocationConfig } from './revocation-checker.js';

export const revocationDefaults = {
  timeoutMs: 5000,
  maxOcspResponseBytes: 64 * 1024,
  maxCrlBytes: 10 * 1024 * 1024,
  clockSkewSeconds: 120,
  maxOcspAgeSeconds: 15 * 60,
  cacheMaxAgeSeconds: 5 * 60,
  cacheSize: 10_000,
} as const;

const isUnavailable = (error: unknown) => error instanceof AssertionError && error.code === 'revocation_unavailable';

/** Counts one OCSP or CRL request, its answer checked, by outcome (metrics: docs/operations.md). */
async function measured<T>(source: 'ocsp' | 'crl', request: () => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  try {
    const answer = await request();
    revocationFetches.inc({ source, outcome: 'ok' });
    return answer;
  } catch (error) {
    revocationFetches.inc({ source, outcome: error instanceof AssertionError ? error.code : 'internal_error' });
    throw error;
  } finally {
    revocationFetchDuration.observe({ source }, secondsSince(started));
  }
}

// Issuers are few and long-lived objects; their key hash is asked for on every login.
const issuerKeyIds = new WeakMap<X509Certificate, string>();

function issuerKeyId(issuer: X509Certificate): string {
  let id = issuerKeyIds.get(issuer);
  if (!id) {
    id = createHash('sha256').update(new Uint8Array(issuer.publicKey.rawData)).digest('hex');
    issuerKeyIds.set(issuer, id);
  }
  return id;
}

/**
 * OCSP and/or CRL per `mode`. Only "no answer" (revocation_unavailable) falls back from OCSP to
 * CRL or, when configured, fails open; a wrong answer (bad signature, stale, revoked) never does.
 */
export function createRevocationChecker(config: RevocationConfig): RevocationChecker {
  const settings = { ...revocationDefaults, ...config };
  const now = config.now ?? (() => new Date());
  const skewMs = settings.clockSkewSeconds * 1000;
  const fetchFn = config.fetch ?? globalThis.fetch;
  const limits = (maxBytes: number): FetchLimits => ({ fetch: fetchFn, timeoutMs: settings.timeoutMs, maxBytes });
  const goodOcsp = new BoundedCache<true>(settings.cacheSize);
  const crls = new BoundedCache<X509Crl>(settings.cacheSize);
  // An answer may stay valid for hours (its nextUpdate); a card revoked meanwhile must be refused
  // within the cap, so nothing is reused longer than cacheMaxAgeSeconds after it was fetched.
  const reusableUntil = (validUntil: Date) => Math.min(validUntil.getTime(), now().getTime() + settings.cacheMaxAgeSeconds * 1000);

  async function checkOcsp(certificate: X509Certificate, issuer: X509Certificate): Promise<void> {
    const key = `${issuerKeyId(issuer)}:${certificate.serialNumber}`;
    if (goodOcsp.get(key, now().getTime())) {
      revocationCacheHits.inc({ source: 'ocsp' });
      return;
    }
    // An empty configured URL means "use the AIA" (the provider's option defaults to '').
    const url = config.ocspUrl || ocspUrlsOf(certificate)[0];
    if (!url) throw new AssertionError('revocation_unavailable', 'certificate names no OCSP responder');
    const request = await buildOcspRequest(certificate, issuer);
    const answer = await measured('ocsp', async () => {
      const body = await fetchBytes(
        url,
        { method: 'POST', headers: { 'content-type': 'application/ocsp-request', accept: 'application/ocsp-response' }, body: request.der },
        limits(settings.maxOcspResponseBytes),
      );
      return evaluateOcspResponse(body, {
        request,
        issuer,
        now: now(),
        clockSkewMs: skewMs,
        maxAgeMs: settings.maxOcspAgeSeconds * 1000,
      });
    });
    goodOcsp.set(key, true, reusableUntil(answer.validUntil));
  }

  async function currentCrl(url: string, issuer: X509Certificate): Promise<X509Crl> {
    const key = `${issuerKeyId(issuer)}:${url}`;
    const cached = crls.get(key, now().getTime());
    if (cached) {
      revocationCacheHits.inc({ source: 'crl' });
      return cached;
    }
    const crl = await measured('crl', async () => {
      const body = await fetchBytes(url, { method: 'GET', headers: { accept: 'application/pkix-crl' } }, limits(settings.maxCrlBytes));
      return validateCrl(body, issuer, now(), skewMs);
    });
    crls.set(key, crl, reusableUntil(crl.nextUpdate!));
    return crl;
  }

  async function checkCrl(certificate: X509Certificate, issuer: X509Certificate): Promise<void> {
    const url = crlUrlsOf(certificate)[0];
    if (!url) throw new AssertionError('revocation_unavailable', 'certificate names no CRL distribution point');
    checkCrlEntry(await currentCrl(url, issuer), certificate);
  }

  async function checkByMode(certificate: X509Certificate, issuer: X509Certificate): Promise<void> {
    if (settings.mode === 'crl') return checkCrl(certificate, issuer);
    if (settings.mode === 'ocsp') return checkOcsp(certificate, issuer);
    try {
      await checkOcsp(certificate, issuer);
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      await checkCrl(certificate, issuer);
    }
  }

  return {
    async check(certificate, issuer) {
      try {
        await checkByMode(certificate, issuer);
      } catch (error) {
        if (settings.failOpen === true && isUnavailable(error)) return;
        throw error;
      }
    },
  };
}
