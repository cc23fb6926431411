// Child process of the login benchmarks: the floor for HTTP round trips, a koa app with one route.
// With CRYPTO_WORK set, a request with ?work=1 also does one unit's cryptography (login-floors.ts).
import Koa from 'koa';
import { cryptoWorker, type CryptoWork } from './login-floors.js';

const work = process.env.CRYPTO_WORK ? cryptoWorker(JSON.parse(process.env.CRYPTO_WORK) as CryptoWork) : undefined;
const app = new Koa();
app.use((ctx) => {
  if (work && ctx.query.work === '1') work();
  ctx.body = 'ok';
});
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('bare koa listening'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
