import { PassThrough, Readable } from 'node:stream';
import { streamIo } from '../../src/bridge/cli/cli-io.js';
import type { CardTerminals } from '../../src/bridge/card-terminals.js';
import { runCli } from '../../src/bridge/cli/run-cli.js';
import { VIRTUAL_CARD_TERMINALS } from '../../src/simulator/virtual-bridge/virtual-card-terminals.js';

export interface CliRun {
  code: number;
  stdout: string[];
  stderr: string[];
  /** stdout and stderr together, line by line. */
  lines: string[];
  text: string;
}

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString('utf8');
}

/**
 * Runs `cie-bridge <args>` in this process; `answers` are the lines typed at the prompts, in order. The
 * virtual card is handed in, as `cie-bridge-virtual` does; `terminals` gives the production set instead.
 */
export async function runBridgeCli(
  args: string[],
  answers: string[] = [],
  env: Record<string, string> = {},
  /** For `serve`: called once the bridge runs, with the stdout lines so far; the bridge stops when it resolves. */
  whileServing: (stdout: string[]) => Promise<void> = async () => undefined,
  terminals: CardTerminals = VIRTUAL_CARD_TERMINALS,
): Promise<CliRun> {
  const output = new PassThrough();
  const errorOutput = new PassThrough();
  const stdout = collect(output);
  const stderr = collect(errorOutput);
  const io = streamIo({ input: Readable.from(answers.map((line) => `${line}\n`)), output, errorOutput });
  const split = (text: string) => text.split('\n').filter((line) => line !== '');
  let code: number;
  try {
    code = await runCli(args, { io, env, waitForStop: () => whileServing(split(stdout())), terminals });
  } finally {
    io.close();
  }
  return {
    code,
    stdout: split(stdout()),
    stderr: split(stderr()),
    lines: [...split(stdout()), ...split(stderr())],
    text: `${stdout()}\n${stderr()}`,
  };
}

/** No line the citizen sees may contain a PIN or PUK they typed. */
export function expectNoSecrets(run: CliRun, secrets: string[]): void {
  for (const line of run.lines) for (const secret of secrets) expect(line).not.toContain(secret);
}
