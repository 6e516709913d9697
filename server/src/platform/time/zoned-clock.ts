type ClockParts = Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string>;

// Building an Intl.DateTimeFormat costs tenths of a millisecond; a few time zones ever occur.
const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    if (formats.size < 100) formats.set(timeZone, format);
  }
  return format;
}

/**
 * A clock reading in a time zone: the parts of a date as people there read it. Exports
 * and file names use the business time zone, so every viewer sees the same clock.
 */
export function zonedClock(timeZone: string): (date: Date) => ClockParts {
  const format = formatFor(timeZone);
  return (date) => {
    const parts = { year: '', month: '', day: '', hour: '', minute: '', second: '' };
    for (const { type, value } of format.formatToParts(date)) if (type in parts) parts[type as keyof ClockParts] = value;
    return parts;
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
