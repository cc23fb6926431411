import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DisabledEntities } from '../../src/federation/disabled-entities.js';
import { loadTrustAnchors, parseTrustAnchors } from '../../src/federation/trust-anchors-file.js';

const key = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0', kid: 'ta-1' };
const dir = mkdtempSync(join(tmpdir(), 'federation-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('FEDERATION_TRUST_ANCHORS file', () => {
  test('reads entity_id, jwks, required_trust_marks and legacy_request_objects (defaults: none, false)', async () => {
    const file = join(dir, 'anchors.json');
    writeFileSync(file, JSON.stringify([
      { entity_id: 'https://ta.example', jwks: { keys: [key] }, required_trust_marks: ['https://ta.example/openid_relying_party/public/'], legacy_request_objects: ['https://rp.example'] },
      { entity_id: 'http://127.0.0.1:8100', jwks: { keys: [key] } },
    ]));
    expect(await loadTrustAnchors(file)).toEqual([
      { entityId: 'https://ta.example', jwks: { keys: [key] }, requiredTrustMarks: ['https://ta.example/openid_relying_party/public/'], legacyRequestObjects: ['https://rp.example'] },
      { entityId: 'http://127.0.0.1:8100', jwks: { keys: [key] }, requiredTrustMarks: [], legacyRequestObjects: false },
    ]);
  });

  test.each([
    ['not JSON', '{'],
    ['not an array', '{}'],
    ['an entity id that is not a URL', JSON.stringify([{ entity_id: 'ta', jwks: { keys: [key] } }])],
    ['keys without kid', JSON.stringify([{ entity_id: 'https://ta.example', jwks: { keys: [{ kty: 'EC' }] } }])],
    ['no keys', JSON.stringify([{ entity_id: 'https://ta.example', jwks: { keys: [] } }])],
    ['required_trust_marks not a list', JSON.stringify([{ entity_id: 'https://ta.example', jwks: { keys: [key] }, required_trust_marks: 'x' }])],
    ['legacy_request_objects of another type', JSON.stringify([{ entity_id: 'https://ta.example', jwks: { keys: [key] }, legacy_request_objects: 1 }])],
  ])('%s → settings_file_invalid', (_what, text) => {
    expect(() => parseTrustAnchors(text)).toThrow(expect.objectContaining({ code: 'settings_file_invalid' }));
  });

  test('a missing file → settings_file_invalid naming it', async () => {
    await expect(loadTrustAnchors(join(dir, 'absent.json'))).rejects.toMatchObject({ code: 'settings_file_invalid', details: { path: join(dir, 'absent.json') } });
  });
});

describe('FEDERATION_DISABLED_ENTITIES file', () => {
  test('one entity id a line, comments and blank lines ignored, trailing slashes not significant; re-read when it changes', () => {
    const file = join(dir, 'disabled.txt');
    writeFileSync(file, '# complaints\n\nhttps://bad-rp.example   # 2026-12-01\n');
    const disabled = new DisabledEntities(file);
    expect(disabled.has('https://bad-rp.example/')).toBe(true);
    expect(disabled.has('https://good-rp.example')).toBe(false);

    writeFileSync(file, 'https://good-rp.example/\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(disabled.has('https://bad-rp.example')).toBe(false);
    expect(disabled.has('https://good-rp.example')).toBe(true);
  });

  test('a file that disappears after start keeps the last list (fail closed); a missing file at start is refused', () => {
    const file = join(dir, 'vanishing.txt');
    writeFileSync(file, 'https://bad-rp.example\n');
    const disabled = new DisabledEntities(file);
    rmSync(file);
    expect(disabled.has('https://bad-rp.example')).toBe(true);
    expect(() => new DisabledEntities(join(dir, 'never.txt'))).toThrow(expect.objectContaining({ code: 'settings_file_invalid' }));
  });
});
