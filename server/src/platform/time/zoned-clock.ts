/**
 * A clock reading in a time zone: the parts of a date as people there read it. Exports
 * and file names use the business time zone, so every viewer sees the same clock.
 */
export function zonedClock(timeZone: string): (date: Date) => Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> {
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  return (date) => {
    const parts = Object.fromEntries(format.formatToParts(date).map((part) => [part.type, part.value]));
    return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
  };
}

/** `2026-11-23 14:30:05` in `timeZone`. */
export function businessTimeFormatter(timeZone: string): (date: Date) => string {
  const clock = zonedClock(timeZone);
  return (date) => {
    const t = clock(date);
    return `${t.year}-${t.month}-${t.day} ${t.hour}:${t.minute}:${t.second}`;
  };
}
