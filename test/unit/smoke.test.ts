import { generateKeyPair } from 'jose';
test('esm + ts pipeline', async () => {
  const { publicKey } = await generateKeyPair('ES256');
  expect(publicKey.type).toBe('public');
});
