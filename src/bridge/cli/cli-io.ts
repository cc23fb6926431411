import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { askOnTerminal, type TerminalInput } from './terminal-input.js';

/** Everything the CLI reads and writes; injected so tests drive the commands in-process. */
export interface CliIo {
  /** One line of results (stdout). */
  print(line: string): void;
  /** One line of errors, warnings (stderr). */
  warn(line: string): void;
  /** Shows the prompt and reads one answer; a secret is not echoed. Resolves undefined when input has ended (cancel). */
  ask(prompt: string, options: { secret: boolean }): Promise<string | undefined>;
  /** Releases the input so the process can exit. */
  close(): void;
}

export interface CliStreams {
  input: Readable & { isTTY?: boolean; setRawMode?: TerminalInput['setRawMode'] };
  output: Writable;
  errorOutput: Writable;
}

/**
 * On a terminal, answers are typed (secrets without echo). Otherwise each answer is the next line of the
 * input (scripts, tests). Prompts go to stderr so that stdout holds only results.
 */
export function streamIo({ input, output, errorOutput }: CliStreams): CliIo {
  let lines: Interface | undefined;
  let iterator: AsyncIterator<string> | undefined;
  const nextLine = async () => {
    lines ??= createInterface({ input, crlfDelay: Infinity, terminal: false });
    iterator ??= lines[Symbol.asyncIterator]();
    const next = await iterator.next();
    return next.done ? undefined : next.value;
  };
  return {
    print: (line) => output.write(`${line}\n`),
    warn: (line) => errorOutput.write(`${line}\n`),
    async ask(prompt, { secret }) {
      if (input.isTTY && input.setRawMode) return askOnTerminal(input as TerminalInput, errorOutput, prompt, secret);
      errorOutput.write(`${prompt}\n`);
      return nextLine();
    },
    close: () => {
      lines?.close();
      input.pause();
    },
  };
}
