import { protocol, type PGlite } from '@electric-sql/pglite';

/** Enough for every statement a room runs again and again (the registry's append: one per batch size, at most 64). */
const MOST_PREPARED = 256;

/**
 * `Database.runPrepared` on PGlite. Its `query` makes six calls into PostgreSQL per statement
 * (parse, describe, bind, describe, execute, sync) and parses and plans the text every time: for the
 * registry's append about 1 ms of the provider's thread, against 0.2 ms for a statement prepared
 * once and then only bound and executed, all messages in one call (measured: docs/benchmarks.md,
 * session 10). Named statements live as long as the database; beyond MOST_PREPARED texts the
 * statement is parsed each time, still in one call.
 */
export function pglitePrepared(db: PGlite): (text: string, params: readonly (string | null)[]) => Promise<number> {
  const names = new Map<string, string>();
  const prepared = new Set<string>();
  return (text, params) =>
    // The same locks as PGlite's own `query`: never inside another caller's open transaction, never
    // between the messages of another statement.
    db._runExclusiveTransaction(() =>
      db._runExclusiveQuery(async () => {
        let name = names.get(text);
        if (name === undefined && names.size < MOST_PREPARED) names.set(text, (name = `prepared_${names.size + 1}`));
        const messages: Uint8Array[] = [];
        // Parsed again until one run succeeded: a failed first run may have left the name prepared or
        // not, and closing a statement that does not exist is no error.
        if (name === undefined || !prepared.has(name)) {
          if (name !== undefined) messages.push(protocol.serialize.close({ type: 'S', name }));
          messages.push(protocol.serialize.parse({ name: name ?? '', text }));
        }
        messages.push(protocol.serialize.bind({ statement: name ?? '', values: [...params] }), protocol.serialize.execute({}), protocol.serialize.sync());
        const { messages: answers } = await db.execProtocol(Buffer.concat(messages));
        if (name !== undefined) prepared.add(name);
        return writtenRows(answers);
      }),
    );
}

/** The count of a statement's command tag (`INSERT 0 3`, `UPDATE 1`). */
function writtenRows(answers: readonly { name: string }[]): number {
  const complete = answers.find((answer): answer is { name: string; text: string } => answer.name === 'commandComplete');
  return complete ? Number(complete.text.split(' ').pop()) || 0 : 0;
}
