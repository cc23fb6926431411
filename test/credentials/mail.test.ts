import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { LocalOutbox } from '../../src/mail/local-outbox.js';
import { smtpMailer } from '../../src/mail/smtp-mailer.js';

/** A minimal SMTP server on 127.0.0.1 that records what it is sent (or, `silent`, never greets). */
async function fakeSmtp(silent = false): Promise<{ server: Server; port: number; received: { from: string; to: string[]; data: string }[]; sockets: Set<Socket> }> {
  const received: { from: string; to: string[]; data: string }[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    if (silent) return;
    let from = '';
    let to: string[] = [];
    let data: string | undefined;
    let buffered = '';
    socket.write('220 fake.test ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffered += chunk.toString('utf8');
      let end: number;
      while ((end = buffered.indexOf('\r\n')) !== -1) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (data !== undefined) {
          if (line === '.') {
            received.push({ from, to, data });
            data = undefined;
            to = [];
            socket.write('250 queued\r\n');
          } else data += `${line}\n`;
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250 fake.test\r\n');
        else if (verb === 'MAIL') (from = line, socket.write('250 ok\r\n'));
        else if (verb === 'RCPT') (to.push(line), socket.write('250 ok\r\n'));
        else if (verb === 'DATA') (data = '', socket.write('354 go on\r\n'));
        else if (verb === 'QUIT') (socket.write('221 bye\r\n'), socket.end());
        else socket.write('250 ok\r\n');
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as { port: number }).port, received, sockets };
}

describe('mail', () => {
  test('the local outbox keeps the newest mail first, per address, bounded', async () => {
    const outbox = new LocalOutbox(2);
    await outbox.send({ to: 'a@example.it', subject: '1', text: 'one' });
    await outbox.send({ to: 'B@example.it', subject: '2', text: 'two' });
    await outbox.send({ to: 'a@example.it', subject: '3', text: 'three' });
    expect(outbox.list().map((mail) => mail.subject)).toEqual(['3', '2']);
    expect(outbox.list('b@EXAMPLE.it').map((mail) => mail.subject)).toEqual(['2']);
  });

  test('SMTP: a mail reaches the configured server with our sender', async () => {
    const smtp = await fakeSmtp();
    const mailer = smtpMailer({ url: `smtp://127.0.0.1:${smtp.port}`, from: '"Entra con CIE" <no-reply@example.it>', timeoutMs: 5000 });
    try {
      await mailer.send({ to: 'mario.rossi@example.it', subject: 'Entra con CIE: il tuo codice 123456', text: 'Il tuo codice è 123456' });
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0]!.from).toContain('no-reply@example.it');
      expect(smtp.received[0]!.to[0]).toContain('mario.rossi@example.it');
      expect(smtp.received[0]!.data).toContain('Subject: Entra con CIE: il tuo codice 123456');
    } finally {
      mailer.close();
      smtp.server.close();
    }
  });

  test('SMTP: a server that never answers is a typed error within the bound, not a hang', async () => {
    const smtp = await fakeSmtp(true);
    const mailer = smtpMailer({ url: `smtp://127.0.0.1:${smtp.port}`, from: 'no-reply@example.it', timeoutMs: 300 });
    try {
      await expect(mailer.send({ to: 'a@example.it', subject: 's', text: 't' })).rejects.toMatchObject({ code: 'mail_unavailable' });
    } finally {
      mailer.close();
      for (const socket of smtp.sockets) socket.destroy();
      smtp.server.close();
    }
  });

  test('SMTP: only smtp:// and smtps:// URLs', () => {
    expect(() => smtpMailer({ url: 'http://127.0.0.1:25', from: 'x@example.it' })).toThrow(expect.objectContaining({ code: 'mail_unavailable' }));
  });
});
