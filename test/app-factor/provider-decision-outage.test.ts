import Koa from 'koa';
import request from 'supertest';
import { CompactSign, exportJWK, generateKeyPair } from 'jose';
import { AppApprovals } from '../../src/credentials/app-approvals.js';
import type { AppDevice } from '../../src/credentials/app-devices.js';
import { appRoutes } from '../../src/sign-in/app-approval/app-routes.js';
import type { AppApprovalDeps } from '../../src/sign-in/app-approval/app-approval-deps.js';
import { StorageUnavailableError } from '../../src/storage/storage-unavailable-error.js';
import { MemoryStateStore } from '../../src/storage/state/memory-state-store.js';

// The database goes down between the device's look-up and the decision's bookkeeping: the app is told 503,
// so the decision must not have been recorded (the browser would otherwise sign in on an answer the app saw fail).
test('a decision whose device bookkeeping fails (database down) is not recorded: 503 to the app, the approval still waits', async () => {
  const origin = 'https://login.example.it';
  const pair = await generateKeyPair('ES256');
  const { x, y } = await exportJWK(pair.publicKey);
  const device: AppDevice = { deviceId: 'E'.repeat(32), citizenIndex: 'c', publicJwk: { kty: 'EC', crv: 'P-256', x: x!, y: y! }, name: 'n', isDefault: true, createdAt: new Date() };
  const store = new MemoryStateStore();
  const approvals = new AppApprovals({ store });
  const devices = {
    live: async (id: string) => (id === device.deviceId ? device : undefined),
    recordUse: async () => {
      throw new StorageUnavailableError(new Error('database switched off'));
    },
  };
  const deps = { origin, store, approvals, devices, perNetwork: { enabled: false } } as unknown as AppApprovalDeps;
  const koa = new Koa();
  koa.use(appRoutes(deps).routes());
  const push = await approvals.openPush({ citizenIndex: 'c', deviceId: device.deviceId, requester: 'Comune', level: 'SpidL2', boundTo: 'interaction:x' });
  const payload = { aud: origin, iat: Math.floor(Date.now() / 1000), jti: 'F'.repeat(20), approval: push.id, decision: 'approve', number: push.number, user_verification: 'pin' };
  const response = await new CompactSign(Buffer.from(JSON.stringify(payload))).setProtectedHeader({ alg: 'ES256', typ: 'cieid-app+jwt', kid: device.deviceId }).sign(pair.privateKey);
  const answer = await request(koa.callback()).post(`/app/approvals/${push.id}`).send({ response });
  expect(answer.status).toBe(503);
  expect((await approvals.state(push.id)).state).toBe('waiting');
  expect(await approvals.finish(push.id)).toBeUndefined();
  await store.close();
});
