import { describe, expect, it } from 'vitest';
import { ResolverError } from '../../../src/resolvers/signals.js';
import { createBuiltins } from '../../../src/resolvers/utils/index.js';
import { fakeHost, thrown } from './fakeHost.js';

// 2018-02-06T19:01:35.750Z, a Tuesday; the instant AppSync's util.time documentation uses.
const T = 1517943695750;
const fixedNow = { now: () => T, random: () => 0.5 };
const { time } = createBuiltins(fakeHost().slot, fixedNow).util;

describe('util.time formatting', () => {
  it.each([
    ['yyyy-MM-dd HH:mm:ssZ', '2018-02-06 19:01:35+0000'],
    ["yyyy-MM-dd'T'HH:mm:ss.SSSXXX", '2018-02-06T19:01:35.750Z'],
    ['yy/M/d', '18/2/6'],
    ['dd.MM.yyyy', '06.02.2018'],
    ['EEEE, MMMM d, yyyy h:mm a', 'Tuesday, February 6, 2018 7:01 PM'],
    ['EEE MMM dd', 'Tue Feb 06'],
    ['EEEEE MMMMM', 'T F'],
    ['hh:mm a', '07:01 PM'],
    ['H K k', '19 7 19'],
    ['D DDD', '37 037'],
    ['S SS SSS SSSSSS', '7 75 750 750000'],
    ['Q QQQ QQQQ', '1 Q1 1st quarter'],
    ['G GGGG', 'AD Anno Domini'],
    ["'o''clock' ''", "o'clock '"],
    ['xxx X O', '+00:00 Z GMT'],
    ['z VV', 'UTC UTC'],
  ])('formats %j in UTC as %j', (pattern, expected) => {
    expect(time.epochMilliSecondsToFormatted(T, pattern)).toBe(expected);
  });

  it.each([
    ['Australia/Perth', 'yyyy-MM-dd HH:mm:ssZ', '2018-02-07 03:01:35+0800'],
    ['America/New_York', 'yyyy-MM-dd HH:mm XXX', '2018-02-06 14:01 -05:00'],
    ['America/Los_Angeles', 'h:mm a z', '11:01 AM PST'],
    ['Asia/Kolkata', 'HH:mm XXX O ZZZZ', '00:31 +05:30 GMT+5:30 GMT+05:30'],
    ['Asia/Kolkata', 'EEEE d', 'Wednesday 7'],
    ['Asia/Kathmandu', 'HH:mm X', '00:46 +0545'],
    ['-08:00', 'HH:mm xx', '11:01 -0800'],
    ['UTC', 'HH:mm Z', '19:01 +0000'],
  ])('formats in %s with %j as %j', (zone, pattern, expected) => {
    expect(time.epochMilliSecondsToFormatted(T, pattern, zone)).toBe(expected);
  });

  it('follows daylight saving time in a named zone', () => {
    const summer = Date.UTC(2021, 6, 4, 12);
    const winter = Date.UTC(2021, 0, 4, 12);
    expect(time.epochMilliSecondsToFormatted(summer, 'HH:mm Z', 'America/New_York')).toBe('08:00 -0400');
    expect(time.epochMilliSecondsToFormatted(winter, 'HH:mm Z', 'America/New_York')).toBe('07:00 -0500');
    expect(time.epochMilliSecondsToFormatted(summer, 'HH:mm z', 'Europe/London')).toBe('13:00 GMT+1');
  });

  it('uses the clock for the now* functions', () => {
    expect(time.nowISO8601()).toBe('2018-02-06T19:01:35.750Z');
    expect(time.nowEpochSeconds()).toBe(1517943695);
    expect(time.nowEpochMilliSeconds()).toBe(T);
    expect(time.nowFormatted('yyyy-MM-dd HH:mm:ssZ', 'Australia/Perth')).toBe('2018-02-07 03:01:35+0800');
    expect(time.nowFormatted('HH:mm')).toBe('19:01');
  });

  it('converts epoch milliseconds to seconds and ISO 8601', () => {
    expect(time.epochMilliSecondsToSeconds(1517943695758)).toBe(1517943695);
    expect(time.epochMilliSecondsToISO8601(1517943695758)).toBe('2018-02-06T19:01:35.758Z');
    expect(time.epochMilliSecondsToISO8601(0)).toBe('1970-01-01T00:00:00.000Z');
  });

  it('rejects unknown zones, unsupported letters and unclosed quotes with a ResolverError', () => {
    for (const call of [
      () => time.epochMilliSecondsToFormatted(T, 'yyyy', 'Mars/Olympus_Mons'),
      () => time.epochMilliSecondsToFormatted(T, 'ww'),
      () => time.epochMilliSecondsToFormatted(T, "yyyy 'open"),
      () => time.epochMilliSecondsToFormatted(T, 'yyyy #'),
    ]) {
      const error = thrown(call);
      expect(error).toBeInstanceOf(ResolverError);
      expect((error as ResolverError).message).toMatch(/^util\.time\.epochMilliSecondsToFormatted: /);
    }
  });
});

describe('util.time parsing', () => {
  it.each([
    ['2018-02-01 17:45:01+0000', 'yyyy-MM-dd HH:mm:ssZ', undefined, Date.UTC(2018, 1, 1, 17, 45, 1)],
    ['2018-02-02 01:45:01+0800', 'yyyy-MM-dd HH:mm:ssZ', undefined, Date.UTC(2018, 1, 1, 17, 45, 1)],
    ['2018-02-01T17:45:01.123-03:30', "yyyy-MM-dd'T'HH:mm:ss.SSSXXX", undefined, Date.UTC(2018, 1, 1, 21, 15, 1, 123)],
    ['2018-02-01 17:45:01', 'yyyy-MM-dd HH:mm:ss', undefined, Date.UTC(2018, 1, 1, 17, 45, 1)],
    ['2018-02-01 17:45:01', 'yyyy-MM-dd HH:mm:ss', 'Australia/Perth', Date.UTC(2018, 1, 1, 9, 45, 1)],
    ['2021-07-04 08:00', 'yyyy-MM-dd HH:mm', 'America/New_York', Date.UTC(2021, 6, 4, 12)],
    ['2021-01-04 07:00', 'yyyy-MM-dd HH:mm', 'America/New_York', Date.UTC(2021, 0, 4, 12)],
    ['20180201174501', 'yyyyMMddHHmmss', undefined, Date.UTC(2018, 1, 1, 17, 45, 1)],
    ['Tuesday, February 6, 2018 7:01 PM', 'EEEE, MMMM d, yyyy h:mm a', undefined, Date.UTC(2018, 1, 6, 19, 1)],
    ['06 feb 18 12:30 am', 'dd MMM yy hh:mm a', undefined, Date.UTC(2018, 1, 6, 0, 30)],
    ['2018-02-06 19:01 America/Los_Angeles', 'yyyy-MM-dd HH:mm VV', 'UTC', Date.UTC(2018, 1, 7, 3, 1)],
    ['2018-02-30', 'yyyy-MM-dd', undefined, Date.UTC(2018, 1, 28)],
  ])('parses %j with %j (zone %s)', (text, pattern, zone, expected) => {
    expect(time.parseFormattedToEpochMilliSeconds(text, pattern, zone)).toBe(expected);
  });

  it('round-trips formatted text in a named zone', () => {
    const pattern = 'yyyy-MM-dd HH:mm:ss.SSS';
    const text = time.epochMilliSecondsToFormatted(T, pattern, 'Asia/Tokyo');
    expect(text).toBe('2018-02-07 04:01:35.750');
    expect(time.parseFormattedToEpochMilliSeconds(text, pattern, 'Asia/Tokyo')).toBe(T);
  });

  it('refuses text that does not fit the pattern', () => {
    for (const [text, pattern] of [
      ['2018-13-01', 'yyyy-MM-dd'],
      ['2018-02-01 24:00', 'yyyy-MM-dd HH:mm'],
      ['2018/02/01', 'yyyy-MM-dd'],
      ['2018-2-01', 'yyyy-MM-dd'],
    ]) {
      expect(() => time.parseFormattedToEpochMilliSeconds(text, pattern)).toThrow(ResolverError);
    }
  });

  it.each([
    ['2018-02-01T17:21:05.180+08:00', Date.UTC(2018, 1, 1, 9, 21, 5, 180)],
    ['2018-02-01T17:21:05Z', Date.UTC(2018, 1, 1, 17, 21, 5)],
    ['2018-02-01T17:21:05.123456789-0130', Date.UTC(2018, 1, 1, 18, 51, 5, 123)],
    ['2018-02-01T17:21:05', Date.UTC(2018, 1, 1, 17, 21, 5)],
    ['2018-02-01', Date.UTC(2018, 1, 1)],
  ])('parses ISO 8601 %j', (text, expected) => {
    expect(time.parseISO8601ToEpochMilliSeconds(text)).toBe(expected);
  });

  it('refuses invalid ISO 8601', () => {
    expect(() => time.parseISO8601ToEpochMilliSeconds('2018-02-30T00:00:00Z')).toThrow(ResolverError);
    expect(() => time.parseISO8601ToEpochMilliSeconds('yesterday')).toThrow(ResolverError);
  });
});
