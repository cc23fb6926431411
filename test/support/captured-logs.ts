import { configureLogging, logLevel, type LogLevel } from '../../src/shared/logger.js';

export type LogLine = Record<string, unknown> & { level: string; msg?: string; component?: string; reqId?: string };

/**
 * Sends this process's log lines (src/shared/logger.ts) to an array instead of stdout, at `level`
 * (default debug: every line), until `restore()`. The lines are the JSON pino wrote, parsed back.
 */
export function captureLogs(level: LogLevel = 'debug'): { lines: LogLine[]; raw: string[]; restore(): void } {
  const lines: LogLine[] = [];
  const raw: string[] = [];
  const previous = logLevel();
  configureLogging({
    level,
    destination: {
      write(text: string) {
        for (const line of text.split('\n').filter(Boolean)) {
          raw.push(line);
          lines.push(JSON.parse(line) as LogLine);
        }
      },
    },
  });
  return { lines, raw, restore: () => configureLogging({ level: previous, destination: undefined }) };
}
