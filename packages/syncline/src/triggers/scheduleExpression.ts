// EventBridge schedule expressions: `rate(value unit)` and the six-field `cron(minutes hours day-of-month month
// day-of-week year)`, in UTC, with EventBridge's wildcards (, - * / ? L W #), month and weekday names, and its
// rules (`rate(1 minute)` but `rate(5 minutes)`; one of day-of-month and day-of-week must be `?`).

export class ScheduleExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleExpressionError';
  }
}

interface DayOfMonth {
  any: boolean;
  days: Set<number>;
  /** `L`: the last day of the month. */
  last: boolean;
  /** `LW`: the last weekday of the month. */
  lastWeekday: boolean;
  /** `15W`: the weekday nearest the 15th, within the month. */
  nearestWeekday: number[];
}

interface DayOfWeek {
  any: boolean;
  /** 1 = Sunday ... 7 = Saturday. */
  days: Set<number>;
  /** `5L`: the last Thursday of the month. */
  lastOf: number[];
  /** `6#3`: the third Friday. */
  nth: [day: number, n: number][];
}

export interface CronSchedule {
  minutes: number[];
  hours: number[];
  dayOfMonth: DayOfMonth;
  months: Set<number>;
  dayOfWeek: DayOfWeek;
  years: Set<number>;
}

export type ScheduleExpression = { kind: 'rate'; everyMs: number } | { kind: 'cron'; cron: CronSchedule };

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export function parseScheduleExpression(text: string): ScheduleExpression {
  const trimmed = text.trim();
  const rate = /^rate\(\s*(\S+)\s+(\S+)\s*\)$/.exec(trimmed);
  if (rate) return { kind: 'rate', everyMs: parseRate(rate[1], rate[2]) };
  const cron = /^cron\((.*)\)$/.exec(trimmed);
  if (cron) return { kind: 'cron', cron: parseCron(cron[1]) };
  throw new ScheduleExpressionError("a schedule is 'rate(5 minutes)' or 'cron(0 12 * * ? *)'");
}

function parseRate(value: string, unit: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new ScheduleExpressionError(`rate value must be a positive whole number`);
  const n = Number(value);
  const singular = unit.replace(/s$/, '');
  if (!(singular in UNIT_MS)) {
    throw new ScheduleExpressionError(`rate unit must be minute(s), hour(s) or day(s), not '${unit}'`);
  }
  if (n === 1 && unit !== singular) throw new ScheduleExpressionError(`a rate of 1 is written '1 ${singular}'`);
  if (n > 1 && unit === singular) throw new ScheduleExpressionError(`a rate above 1 is written '${n} ${singular}s'`);
  return n * UNIT_MS[singular];
}

function parseCron(body: string): CronSchedule {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new ScheduleExpressionError(
      `cron takes 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`,
    );
  }
  const [min, hour, dom, month, dow, year] = fields;
  if ((dom === '?') === (dow === '?')) {
    throw new ScheduleExpressionError('one of day-of-month and day-of-week must be ? (and only one)');
  }
  return {
    minutes: [...numbers(min, 'minutes', 0, 59)].sort((a, b) => a - b),
    hours: [...numbers(hour, 'hours', 0, 23)].sort((a, b) => a - b),
    dayOfMonth: parseDayOfMonth(dom),
    months: numbers(month, 'month', 1, 12, MONTHS),
    dayOfWeek: parseDayOfWeek(dow),
    years: numbers(year, 'year', 1970, 2199),
  };
}

function value(text: string, field: string, min: number, max: number, names?: string[]): number {
  const named = names?.indexOf(text.toUpperCase()) ?? -1;
  const n = named !== -1 ? named + 1 : /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ScheduleExpressionError(`${field}: '${text}' is not a value from ${min} to ${max}`);
  }
  return n;
}

/** `*`, `5`, `1-5`, `*\/15`, `10/5`, `1-30/2`, `MON-FRI`, comma lists of those. */
function numbers(text: string, field: string, min: number, max: number, names?: string[]): Set<number> {
  const out = new Set<number>();
  for (const item of text.split(',')) {
    const [range, stepText] = item.split('/');
    const step = stepText === undefined ? 1 : value(stepText, `${field} step`, 1, max);
    let from: number;
    let to: number;
    if (range === '*') {
      from = min;
      to = max;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      from = value(a, field, min, max, names);
      to = value(b, field, min, max, names);
      if (from > to) throw new ScheduleExpressionError(`${field}: range '${range}' runs backwards`);
    } else {
      from = value(range, field, min, max, names);
      to = stepText === undefined ? from : max;
    }
    for (let n = from; n <= to; n += step) out.add(n);
  }
  return out;
}

function parseDayOfMonth(text: string): DayOfMonth {
  const d: DayOfMonth = {
    any: text === '?' || text === '*',
    days: new Set(),
    last: false,
    lastWeekday: false,
    nearestWeekday: [],
  };
  if (d.any) return d;
  for (const item of text.split(',')) {
    if (item === 'L') d.last = true;
    else if (item === 'LW') d.lastWeekday = true;
    else if (/^\d+W$/.test(item)) d.nearestWeekday.push(value(item.slice(0, -1), 'day-of-month', 1, 31));
    else for (const n of numbers(item, 'day-of-month', 1, 31)) d.days.add(n);
  }
  return d;
}

function parseDayOfWeek(text: string): DayOfWeek {
  const d: DayOfWeek = { any: text === '?' || text === '*', days: new Set(), lastOf: [], nth: [] };
  if (d.any) return d;
  for (const item of text.split(',')) {
    if (item === 'L') d.days.add(7);
    else if (/^\w+L$/.test(item)) d.lastOf.push(value(item.slice(0, -1), 'day-of-week', 1, 7, WEEKDAYS));
    else if (item.includes('#')) {
      const [day, n] = item.split('#');
      d.nth.push([value(day, 'day-of-week', 1, 7, WEEKDAYS), value(n, 'day-of-week occurrence', 1, 5)]);
    } else for (const n of numbers(item, 'day-of-week', 1, 7, WEEKDAYS)) d.days.add(n);
  }
  return d;
}

const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const weekday = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 1;

function nearestWeekday(y: number, m: number, target: number): number {
  const last = daysIn(y, m);
  const day = Math.min(target, last);
  const w = weekday(y, m, day);
  if (w === 7) return day === 1 ? 3 : day - 1; // Saturday: the Friday before, or Monday the 3rd
  if (w === 1) return day === last ? day - 2 : day + 1; // Sunday: the Monday after, or the Friday before
  return day;
}

function dayMatches(c: CronSchedule, y: number, m: number, d: number): boolean {
  if (!c.years.has(y) || !c.months.has(m)) return false;
  const dom = c.dayOfMonth;
  const dow = c.dayOfWeek;
  if (!dom.any) {
    const last = daysIn(y, m);
    if (dom.days.has(d) || (dom.last && d === last)) return true;
    if (dom.lastWeekday) {
      let lw = last;
      while (weekday(y, m, lw) === 1 || weekday(y, m, lw) === 7) lw--;
      if (d === lw) return true;
    }
    return dom.nearestWeekday.some((n) => nearestWeekday(y, m, n) === d);
  }
  if (!dow.any) {
    const w = weekday(y, m, d);
    if (dow.days.has(w)) return true;
    if (dow.lastOf.includes(w) && d + 7 > daysIn(y, m)) return true;
    return dow.nth.some(([day, n]) => day === w && Math.ceil(d / 7) === n);
  }
  return true;
}

/** The first time strictly after `after` (epoch ms) that the cron schedule fires, or null if it never does. */
export function nextCronTime(c: CronSchedule, after: number): number | null {
  const start = new Date(Math.floor(after / 60_000) * 60_000 + 60_000);
  let y = start.getUTCFullYear();
  let m = start.getUTCMonth() + 1;
  let d = start.getUTCDate();
  let fromHour = start.getUTCHours();
  let fromMinute = start.getUTCMinutes();
  while (y <= 2199) {
    if (!c.years.has(y)) {
      [y, m, d, fromHour, fromMinute] = [y + 1, 1, 1, 0, 0];
      continue;
    }
    if (!c.months.has(m)) {
      [m, d, fromHour, fromMinute] = [m + 1, 1, 0, 0];
      if (m > 12) [y, m] = [y + 1, 1];
      continue;
    }
    if (dayMatches(c, y, m, d)) {
      for (const h of c.hours) {
        if (h < fromHour) continue;
        const minute = c.minutes.find((mi) => h > fromHour || mi >= fromMinute);
        if (minute !== undefined) return Date.UTC(y, m - 1, d, h, minute);
      }
    }
    [d, fromHour, fromMinute] = [d + 1, 0, 0];
    if (d > daysIn(y, m)) {
      [m, d] = [m + 1, 1];
      if (m > 12) [y, m] = [y + 1, 1];
    }
  }
  return null;
}
