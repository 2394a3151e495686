// EventBridge schedule expressions: parsing, EventBridge's rules, and the next fire time of cron schedules.
import { describe, expect, it } from 'vitest';
import { nextCronTime, parseScheduleExpression } from '../../src/triggers/scheduleExpression.js';

const next = (expr: string, after: string) => {
  const parsed = parseScheduleExpression(expr);
  if (parsed.kind !== 'cron') throw new Error('not cron');
  const t = nextCronTime(parsed.cron, Date.parse(after));
  return t === null ? null : new Date(t).toISOString();
};

describe('rate expressions', () => {
  it('reads minutes, hours and days', () => {
    expect(parseScheduleExpression('rate(1 minute)')).toEqual({ kind: 'rate', everyMs: 60_000 });
    expect(parseScheduleExpression('rate(5 minutes)')).toEqual({ kind: 'rate', everyMs: 300_000 });
    expect(parseScheduleExpression('rate(2 hours)')).toEqual({ kind: 'rate', everyMs: 7_200_000 });
    expect(parseScheduleExpression('rate(1 day)')).toEqual({ kind: 'rate', everyMs: 86_400_000 });
  });

  it("refuses what EventBridge refuses: 'rate(1 minutes)', 'rate(5 minute)', zero, other units", () => {
    expect(() => parseScheduleExpression('rate(1 minutes)')).toThrow(/1 minute/);
    expect(() => parseScheduleExpression('rate(5 minute)')).toThrow(/5 minutes/);
    expect(() => parseScheduleExpression('rate(0 minutes)')).toThrow(/positive/);
    expect(() => parseScheduleExpression('rate(3 weeks)')).toThrow(/unit/);
  });
});

describe('cron expressions', () => {
  it('needs six fields and exactly one ? among day-of-month and day-of-week', () => {
    expect(() => parseScheduleExpression('cron(0 12 * * ?)')).toThrow(/6 fields/);
    expect(() => parseScheduleExpression('cron(0 12 * * * *)')).toThrow(/\?/);
    expect(() => parseScheduleExpression('cron(0 12 ? * ? *)')).toThrow(/\?/);
    expect(() => parseScheduleExpression('cron(61 12 * * ? *)')).toThrow(/minutes: '61'/);
  });

  it('every day at 12:00 UTC', () => {
    expect(next('cron(0 12 * * ? *)', '2030-03-10T11:59:30Z')).toBe('2030-03-10T12:00:00.000Z');
    expect(next('cron(0 12 * * ? *)', '2030-03-10T12:00:00Z')).toBe('2030-03-11T12:00:00.000Z');
  });

  it('steps, ranges and lists', () => {
    expect(next('cron(0/15 * * * ? *)', '2030-03-10T10:16:00Z')).toBe('2030-03-10T10:30:00.000Z');
    expect(next('cron(*/20 8-9 * * ? *)', '2030-03-10T09:41:00Z')).toBe('2030-03-11T08:00:00.000Z');
    expect(next('cron(5,35 14 * * ? *)', '2030-03-10T14:06:00Z')).toBe('2030-03-10T14:35:00.000Z');
  });

  it('weekday names and ranges (1 = Sunday)', () => {
    // 2030-03-09 is a Saturday.
    expect(next('cron(0 18 ? * MON-FRI *)', '2030-03-09T00:00:00Z')).toBe('2030-03-11T18:00:00.000Z');
    expect(next('cron(0 9 ? * 1 *)', '2030-03-09T00:00:00Z')).toBe('2030-03-10T09:00:00.000Z');
  });

  it('month names and years', () => {
    expect(next('cron(0 0 1 JAN,JUL ? 2031)', '2030-03-09T00:00:00Z')).toBe('2031-01-01T00:00:00.000Z');
    expect(next('cron(0 0 1 1 ? 2029)', '2030-03-09T00:00:00Z')).toBeNull();
  });

  it('L: the last day of the month, and the last given weekday', () => {
    expect(next('cron(0 0 L * ? *)', '2030-02-10T00:00:00Z')).toBe('2030-02-28T00:00:00.000Z');
    expect(next('cron(0 0 L * ? *)', '2032-02-10T00:00:00Z')).toBe('2032-02-29T00:00:00.000Z');
    // The last Friday (6) of March 2030 is the 29th.
    expect(next('cron(0 10 ? * 6L *)', '2030-03-01T00:00:00Z')).toBe('2030-03-29T10:00:00.000Z');
  });

  it('W: the weekday nearest a day, within the month; LW: the last weekday', () => {
    // 2030-06-15 is a Saturday: the nearest weekday is Friday the 14th.
    expect(next('cron(0 9 15W * ? *)', '2030-06-01T00:00:00Z')).toBe('2030-06-14T09:00:00.000Z');
    // 2030-06-01 is a Saturday: 1W does not cross into May, it moves to Monday the 3rd.
    expect(next('cron(0 9 1W * ? *)', '2030-05-31T00:00:00Z')).toBe('2030-06-03T09:00:00.000Z');
    // 2030-06-30 is a Sunday: the last weekday is Friday the 28th.
    expect(next('cron(0 9 LW * ? *)', '2030-06-01T00:00:00Z')).toBe('2030-06-28T09:00:00.000Z');
  });

  it('#: the nth weekday of the month', () => {
    // The third Friday of March 2030 is the 15th.
    expect(next('cron(0 10 ? * 6#3 *)', '2030-03-01T00:00:00Z')).toBe('2030-03-15T10:00:00.000Z');
    expect(next('cron(0 10 ? * FRI#3 *)', '2030-03-16T00:00:00Z')).toBe('2030-04-19T10:00:00.000Z');
  });
});
