import { hostname } from 'node:os';
import { pino, type DestinationStream, type Logger } from 'pino';
import { redactForLog, redactText } from './log-redaction.js';
import { currentRequestId } from './request-context.js';
import { BatchedLineStream } from './batched-line-stream.js';
import { isoTimeField } from './iso-time-field.js';

/**
 * One JSON line per event on stdout (pino), for every process of the project: the provider, the
 * bridge, the trust anchor. Each line carries `service`, `component`, and `reqId` when it is written
 * while serving a request (request-context.ts). Fields and message are redacted (log-redaction.ts)
 * before pino sees them, so no caller can log a token, a code, an assertion, a cookie or a PIN.
 */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, unknown>;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * `info`; `warn` inside a jest worker, so the suites' output holds only what went wrong. Processes a
 * test spawns (the provider, the demo) inherit the worker's environment but not its `expect`
 * global: they log at `info`, as in production, and the tests read those lines.
 */
export function defaultLogLevel(env: Env = process.env): LogLevel {
  const insideJest = env.JEST_WORKER_ID !== undefined && typeof (globalThis as { expect?: unknown }).expect === 'function';
  return insideJest ? 'warn' : 'info';
}

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/** LOG_LEVEL when it names a level, else the environment's default (config.ts refuses a bad value). */
export function logLevelFrom(env: Env = process.env): LogLevel {
  const wanted = env.LOG_LEVEL ?? '';
  return isLogLevel(wanted) ? wanted : defaultLogLevel(env);
}

interface LoggingSettings {
  service: string;
  level: LogLevel;
  /** Where lines go (tests); default stdout. */
  destination?: DestinationStream | undefined;
}

/** The provider's stdout stream, made once (before the first logger is built below). */
let stdout: DestinationStream | undefined;

let settings: LoggingSettings = { service: 'cie', level: logLevelFrom() };
let root: Logger = build(settings);

function build({ service, level, destination }: LoggingSettings): Logger {
  const options = {
    level,
    // The host name tells the instances of a scaled deployment apart (a container's id).
    base: { service, pid: process.pid, hostname: hostname() },
    timestamp: isoTimeField,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return pino(options, destination ?? standardOutput());
}

/**
 * stdout, written asynchronously and in batches: the lines of up to 0.1 s go as one write, queued
 * behind the write in flight, instead of one write(2) per line or per turn (a login writes a dozen
 * request lines; each write costs the provider a system call and a thread-pool trip:
 * docs/benchmarks.md). What is queued is written when the process exits ('exit' hooks: pino's and
 * batched-line-stream.ts's); only a process killed with SIGKILL can lose its last 0.1 s of lines.
 */
function standardOutput(): DestinationStream {
  stdout ??= new BatchedLineStream(pino.destination({ dest: 1, sync: false }));
  return stdout;
}

/** Sets the process's service name, level and (tests) destination; loggers already handed out follow. */
export function configureLogging(changes: Partial<LoggingSettings>): void {
  settings = { ...settings, ...changes };
  root = build(settings);
}

export function logLevel(): LogLevel {
  return settings.level;
}

type Write = (fields: LogFields | string, message?: string) => void;

export interface Log {
  error: Write;
  warn: Write;
  info: Write;
  debug: Write;
}

/**
 * A logger for one part of the code (`component` in every line). Its pino child is made once per
 * root logger (pino serialises the binding once, not on every line), and again after configureLogging.
 * The request id is added here, to the line's own copy of the fields (no mixin object per line).
 */
export function loggerFor(component: string): Log {
  let boundTo: Logger | undefined;
  let bound: Logger = root;
  const current = (): Logger => {
    if (boundTo !== root) {
      boundTo = root;
      bound = root.child({ component });
    }
    return bound;
  };
  const write = (level: 'error' | 'warn' | 'info' | 'debug'): Write => (fields, message) => {
    const logger = current();
    if (!logger.isLevelEnabled(level)) return;
    const reqId = currentRequestId();
    if (typeof fields === 'string') {
      logger[level](reqId === undefined ? {} : { reqId }, redactText(fields));
      return;
    }
    // redactForLog returns a fresh copy: the request id goes in it unless the caller named one.
    const line = redactForLog(fields) as LogFields;
    if (reqId !== undefined && !('reqId' in line)) line.reqId = reqId;
    if (message === undefined) logger[level](line);
    else logger[level](line, redactText(message));
  };
  return { error: write('error'), warn: write('warn'), info: write('info'), debug: write('debug') };
}
