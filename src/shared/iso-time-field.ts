/**
 * pino's `time` field as an ISO 8601 UTC instant (`,"time":"2026-12-05T07:20:11.042Z"`), the same
 * text as `new Date(now).toISOString()`. The date and time up to the second are formatted once per
 * second and only the milliseconds on each line: pino's stdTimeFunctions.isoTime builds a Date and
 * formats it whole for every line, the dearest single function of a request line in a profile of the
 * logger alone (docs/benchmarks.md, session 12). Instants outside years 0000–9999, which ISO writes
 * with a sign and six digits (no log line has them), are formatted whole.
 */
let second = Number.NaN;
let prefix = '';

export function isoTimeField(now: number = Date.now()): string {
  const whole = Math.floor(now / 1000);
  if (whole !== second) {
    const iso = new Date(whole * 1000).toISOString();
    if (iso.length !== 24) return `,"time":"${new Date(now).toISOString()}"`;
    second = whole;
    prefix = `,"time":"${iso.slice(0, 20)}`;
  }
  const millis = now - whole * 1000;
  return `${prefix}${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z"`;
}
