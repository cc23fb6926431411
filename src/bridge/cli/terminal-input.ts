import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';

export type TerminalInput = Readable & { setRawMode(mode: boolean): unknown };

const ENTER = new Set(['\r', '\n']);
const CANCEL = new Set(['\u0003', '\u0004']); // Ctrl-C, Ctrl-D (raw mode turns off SIGINT)
const BACKSPACE = new Set(['\u007f', '\b']);

/** Reads one answer typed on the terminal; undefined when the citizen cancels (Ctrl-C / Ctrl-D). */
export function askOnTerminal(input: TerminalInput, output: Writable, prompt: string, secret: boolean): Promise<string | undefined> {
  return secret ? askHidden(input, output, prompt) : askVisible(input, output, prompt);
}

async function askVisible(input: TerminalInput, output: Writable, prompt: string): Promise<string | undefined> {
  const line = createInterface({ input, output, terminal: true });
  const cancel = new AbortController();
  line.once('SIGINT', () => cancel.abort());
  line.once('close', () => cancel.abort());
  try {
    return await line.question(`${prompt} `, { signal: cancel.signal });
  } catch {
    output.write('\n');
    return undefined;
  } finally {
    line.close();
  }
}

// Node has no no-echo prompt: raw mode, collecting keys by hand, and nothing is written back.
function askHidden(input: TerminalInput, output: Writable, prompt: string): Promise<string | undefined> {
  output.write(`${prompt} `);
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve) => {
    let typed = '';
    const finish = (answer: string | undefined) => {
      input.off('data', onKeys);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      resolve(answer);
    };
    const onKeys = (keys: string) => {
      for (const key of keys) {
        if (ENTER.has(key)) return finish(typed);
        if (CANCEL.has(key)) return finish(undefined);
        if (BACKSPACE.has(key)) typed = typed.slice(0, -1);
        else if (key >= ' ') typed += key;
      }
    };
    input.on('data', onKeys);
  });
}
