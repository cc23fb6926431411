// Child process of the login benchmarks: the floor for one HTTP round trip, a koa app with one route.
import Koa from 'koa';

const app = new Koa();
app.use((ctx) => {
  ctx.body = 'ok';
});
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('bare koa listening'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
