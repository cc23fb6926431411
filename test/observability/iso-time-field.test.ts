import { isoTimeField } from '../../src/shared/iso-time-field.js';

const field = (now: number) => `,"time":"${new Date(now).toISOString()}"`;

test('the time field is the instant\'s ISO 8601 text, millisecond by millisecond and across seconds, days and years', () => {
  const start = Date.UTC(2026, 11, 31, 23, 59, 58, 990);
  for (let now = start; now < start + 2100; now += 1) expect(isoTimeField(now)).toBe(field(now));
  for (const now of [0, 999, 1000, Date.UTC(2024, 1, 29, 12, 0, 0, 5), Date.UTC(2026, 11, 5, 7, 20, 11, 42), Date.UTC(9999, 11, 31, 23, 59, 59, 999)]) {
    expect(isoTimeField(now)).toBe(field(now));
  }
});

test('going back in time (a clock step), instants before 1970 and after year 9999 are formatted exactly, never with a stale second', () => {
  const later = Date.UTC(2026, 11, 5, 8, 0, 0, 500);
  expect(isoTimeField(later)).toBe(field(later));
  expect(isoTimeField(later - 3_600_000)).toBe(field(later - 3_600_000));
  for (const now of [-1, -1500, Date.UTC(10000, 0, 1, 0, 0, 0, 7)]) expect(isoTimeField(now)).toBe(field(now));
  expect(isoTimeField(later)).toBe(field(later));
});
