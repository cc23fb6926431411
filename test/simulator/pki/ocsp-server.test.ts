import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { OCSPRequest, OCSPResponseStatus } from '@peculiar/asn1-ocsp';
import { CRLReasons } from '@peculiar/asn1-x509';
import { startPkiServer, x509 } from '../../../src/simulator/pki/index.js';
import type { PkiServer } from '../../../src/simulator/pki/index.js';
import { createTempPki, derOf, issueCard, ocspRequestFor, parseOcspResponse, verifyWithPkijs, PKI_CREATION_TIMEOUT_MS } from './pki-fixture.js';
import type { ParsedOcspResponse, TempPki } from './pki-fixture.js';

let temp: TempPki;
let server: PkiServer;

beforeAll(async () => {
  temp = await createTempPki();
  server = await startPkiServer(temp.pki, { port: 0 });
}, PKI_CREATION_TIMEOUT_MS);
afterAll(async () => {
  await server.close();
  await temp.remove();
});

async function postOcsp(body: Uint8Array<ArrayBuffer>, url = server.url): Promise<ParsedOcspResponse> {
  const response = await fetch(`${url}/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/ocsp-response');
  return parseOcspResponse(new Uint8Array(await response.arrayBuffer()));
}

async function askAbout(certificateDer: Uint8Array<ArrayBuffer>, nonce?: Uint8Array<ArrayBuffer>): Promise<ParsedOcspResponse> {
  return postOcsp(await ocspRequestFor(certificateDer, derOf(temp.pki.issuingCaCertificate), { nonce }));
}

function single(parsed: ParsedOcspResponse) {
  expect(parsed.responseStatus).toBe(OCSPResponseStatus.successful);
  const responses = parsed.basic!.tbsResponseData.responses;
  expect(responses).toHaveLength(1);
  return responses[0]!;
}

const trustedCas = (): Uint8Array<ArrayBuffer>[] => [derOf(temp.pki.rootCertificate), derOf(temp.pki.issuingCaCertificate)];

describe('OCSP over HTTP', () => {
  it('answers good for an issued card, signed by the delegated responder, with the nonce echoed', async () => {
    const card = await issueCard(temp.pki);
    const nonce = new Uint8Array(randomBytes(32));
    const before = Date.now();
    const parsed = await askAbout(card.der, nonce);
    const answer = single(parsed);

    expect(answer.certStatus.good).toBeNull();
    expect(answer.certStatus.revoked).toBeUndefined();
    expect(Buffer.from(answer.certID.serialNumber).toString('hex')).toBe(card.serialNumber);
    expect(await verifyWithPkijs(parsed.basicDer!, trustedCas())).toBe(true);

    const certs = parsed.basic!.certs!.map((certificate) => new x509.X509Certificate(AsnConvert.serialize(certificate)));
    expect(certs).toHaveLength(1);
    expect(certs[0]!.equal(temp.pki.ocspResponderCertificate)).toBe(true);

    const nonceExtension = parsed.basic!.tbsResponseData.responseExtensions?.find((extension) => extension.extnID === '1.3.6.1.5.5.7.48.1.2');
    expect(Buffer.from(AsnConvert.parse(nonceExtension!.extnValue.buffer, OctetString).buffer)).toEqual(Buffer.from(nonce));

    expect(Math.abs(answer.thisUpdate.getTime() - before)).toBeLessThan(60_000);
    expect(answer.nextUpdate!.getTime() - answer.thisUpdate.getTime()).toBe(3600_000);
  });

  it('omits the nonce extension when the request has none', async () => {
    const card = await issueCard(temp.pki);
    const parsed = await askAbout(card.der);
    expect(parsed.basic!.tbsResponseData.responseExtensions).toBeUndefined();
    expect(await verifyWithPkijs(parsed.basicDer!, trustedCas())).toBe(true);
  });

  it('answers revoked with time and reason', async () => {
    const card = await issueCard(temp.pki);
    await temp.pki.revoke(card.serialNumber, 'keyCompromise');
    const answer = single(await askAbout(card.der));
    expect(answer.certStatus.revoked?.revocationReason?.reason).toBe(CRLReasons.keyCompromise);
    expect(Math.abs(answer.certStatus.revoked!.revocationTime.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('answers revoked/certificateHold while suspended and good again after unsuspend', async () => {
    const card = await issueCard(temp.pki);
    await temp.pki.suspend(card.serialNumber);
    expect(single(await askAbout(card.der)).certStatus.revoked?.revocationReason?.reason).toBe(CRLReasons.certificateHold);
    await temp.pki.unsuspend(card.serialNumber);
    expect(single(await askAbout(card.der)).certStatus.good).toBeNull();
  });

  it('answers unknown for a serial it never issued and for another issuer', async () => {
    const card = await issueCard(temp.pki);
    const genuine = await ocspRequestFor(card.der, derOf(temp.pki.issuingCaCertificate));

    const unknownSerial = AsnConvert.parse(genuine, OCSPRequest);
    unknownSerial.tbsRequest.requestList[0]!.reqCert.serialNumber = new Uint8Array([0x01, 0x02, 0x03]).buffer;
    expect(single(await postOcsp(new Uint8Array(AsnConvert.serialize(unknownSerial)))).certStatus.unknown).toBeNull();

    const otherIssuer = AsnConvert.parse(genuine, OCSPRequest);
    otherIssuer.tbsRequest.requestList[0]!.reqCert.issuerKeyHash = new OctetString(new Uint8Array(20).fill(7));
    expect(single(await postOcsp(new Uint8Array(AsnConvert.serialize(otherIssuer)))).certStatus.unknown).toBeNull();
  });

  it('accepts SHA-256 CertIDs', async () => {
    const card = await issueCard(temp.pki);
    const parsed = await postOcsp(await ocspRequestFor(card.der, derOf(temp.pki.issuingCaCertificate), { hashAlgorithm: 'SHA-256' }));
    expect(single(parsed).certStatus.good).toBeNull();
  });

  it('answers GET /ocsp/<base64> too', async () => {
    const card = await issueCard(temp.pki);
    const body = await ocspRequestFor(card.der, derOf(temp.pki.issuingCaCertificate));
    const response = await fetch(`${server.url}/ocsp/${encodeURIComponent(Buffer.from(body).toString('base64'))}`);
    expect(response.status).toBe(200);
    expect(single(parseOcspResponse(new Uint8Array(await response.arrayBuffer()))).certStatus.good).toBeNull();
  });

  it('answers the issuing CA status for the root, signed by the root itself', async () => {
    const body = await ocspRequestFor(derOf(temp.pki.issuingCaCertificate), derOf(temp.pki.rootCertificate));
    const parsed = await postOcsp(body);
    expect(single(parsed).certStatus.good).toBeNull();
    expect(await verifyWithPkijs(parsed.basicDer!, [derOf(temp.pki.rootCertificate)])).toBe(true);
  });

  it('answers malformedRequest to bytes that are not an OCSP request', async () => {
    for (const garbage of [new Uint8Array(0), new Uint8Array([0x30, 0x03, 0x02, 0x01]), new Uint8Array(randomBytes(300))]) {
      const parsed = await postOcsp(garbage);
      expect(parsed.responseStatus).toBe(OCSPResponseStatus.malformedRequest);
      expect(parsed.basic).toBeUndefined();
    }
  });
});

describe('HTTP robustness', () => {
  it('rejects bodies over 64 KiB with 413 and keeps serving', async () => {
    const response = await fetch(`${server.url}/ocsp`, { method: 'POST', body: new Uint8Array(64 * 1024 + 1) });
    expect(response.status).toBe(413);
    const card = await issueCard(temp.pki);
    expect(single(await askAbout(card.der)).certStatus.good).toBeNull();
  });

  it('rejects an oversized chunked body (no content-length) with 413', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(`${server.url}/ocsp`, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      for (let i = 0; i < 80; i += 1) request.write(Buffer.alloc(1024));
      request.end();
    });
    expect(status).toBe(413);
  });

  it('survives garbage on the socket and unknown paths', async () => {
    const { connect } = await import('node:net');
    const { port } = new URL(server.url);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.end(Buffer.from('\x00\xff garbage \r\n\r\n not http')));
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
      socket.resume();
    });
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    expect((await fetch(`${server.url}/ocsp`)).status).toBe(405);
    const brokenGet = await fetch(`${server.url}/ocsp/%%%`);
    expect(brokenGet.status).toBe(200);
    expect(parseOcspResponse(new Uint8Array(await brokenGet.arrayBuffer())).responseStatus).toBe(OCSPResponseStatus.malformedRequest);
    expect((await fetch(`${server.url}/crl/root.crl`)).status).toBe(200);
  });

  it('serves fresh CRLs and the CA certificates with the right media types', async () => {
    for (const [path, type] of [
      ['/crl/root.crl', 'application/pkix-crl'],
      ['/crl/issuing.crl', 'application/pkix-crl'],
      ['/ca/root.cer', 'application/pkix-cert'],
      ['/ca/issuing.cer', 'application/pkix-cert'],
    ] as const) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(type);
    }
    const crl = new x509.X509Crl(new Uint8Array(await (await fetch(`${server.url}/crl/issuing.crl`)).arrayBuffer()));
    expect(await crl.verify({ publicKey: temp.pki.issuingCaCertificate.publicKey })).toBe(true);
    const root = new x509.X509Certificate(new Uint8Array(await (await fetch(`${server.url}/ca/root.cer`)).arrayBuffer()));
    expect(root.equal(temp.pki.rootCertificate)).toBe(true);
  });

  it('refuses to listen on a non-loopback address', async () => {
    await expect(startPkiServer(temp.pki, { host: '0.0.0.0', port: 0 })).rejects.toMatchObject({ code: 'PKI_INVALID_OPTION' });
  });
});

describe('misbehaving responder modes', () => {
  async function withServer<T>(options: Parameters<typeof startPkiServer>[1], use: (url: string) => Promise<T>): Promise<T> {
    const misbehaving = await startPkiServer(temp.pki, { ...options, port: 0 });
    try {
      return await use(misbehaving.url);
    } finally {
      await misbehaving.close();
    }
  }

  it("'issuer' signs with the issuing CA key itself (still valid per RFC 6960)", async () => {
    const card = await issueCard(temp.pki);
    const parsed = await withServer({ responder: 'issuer' }, async (url) =>
      postOcsp(await ocspRequestFor(card.der, derOf(temp.pki.issuingCaCertificate)), url),
    );
    expect(single(parsed).certStatus.good).toBeNull();
    const signer = new x509.X509Certificate(AsnConvert.serialize(parsed.basic!.certs![0]!));
    expect(signer.equal(temp.pki.issuingCaCertificate)).toBe(true);
    expect(await verifyWithPkijs(parsed.basicDer!, [derOf(temp.pki.rootCertificate)])).toBe(true);
  });

  it("'unauthorised' signs with a certificate no CIE CA issued, which a verifier must reject", async () => {
    const card = await issueCard(temp.pki);
    const parsed = await withServer({ responder: 'unauthorised' }, async (url) =>
      postOcsp(await ocspRequestFor(card.der, derOf(temp.pki.issuingCaCertificate)), url),
    );
    expect(single(parsed).certStatus.good).toBeNull();
    const signer = new x509.X509Certificate(AsnConvert.serialize(parsed.basic!.certs![0]!));
    expect(signer.issuer).not.toBe(temp.pki.issuingCaCertificate.subject);
    const verdict = await verifyWithPkijs(parsed.basicDer!, trustedCas()).catch(() => false);
    expect(verdict).toBe(false);
  });

  it('stale mode moves thisUpdate into the past; nextUpdate follows the configured interval', async () => {
    const card = await issueCard(temp.pki);
    const parsed = await withServer({ ocspStaleSeconds: 7200, ocspNextUpdateSeconds: 60 }, async (url) =>
      postOcsp(await ocspRequestFor(card.der, derOf(temp.pki.issuingCaCertificate)), url),
    );
    const answer = single(parsed);
    const ageSeconds = (Date.now() - answer.thisUpdate.getTime()) / 1000;
    expect(ageSeconds).toBeGreaterThanOrEqual(7200);
    expect(ageSeconds).toBeLessThan(7200 + 60);
    expect(answer.nextUpdate!.getTime() - answer.thisUpdate.getTime()).toBe(60_000);
    expect(await verifyWithPkijs(parsed.basicDer!, trustedCas())).toBe(true);
  });

  it('refuses invalid options', async () => {
    await expect(startPkiServer(temp.pki, { port: 0, ocspStaleSeconds: -1 })).rejects.toMatchObject({ code: 'PKI_INVALID_OPTION' });
    await expect(startPkiServer(temp.pki, { port: 0, responder: 'nobody' as 'issuer' })).rejects.toMatchObject({ code: 'PKI_INVALID_OPTION' });
  });
});
