import { activeLanguage, t } from './i18n.js';

/** "3 min", "1 h 05", "12 s": short durations for tables. */
export function duration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return t('time.seconds', { count: Math.max(0, Math.floor(ms / 1000)) });
  if (minutes < 60) return t('time.minutes', { count: minutes });
  return t('time.hours', { hours: Math.floor(minutes / 60), minutes: String(minutes % 60).padStart(2, '0') });
}

/** "just now", "3 min ago". */
export function ago(iso: string, now = Date.now()): string {
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms)) return '—';
  if (ms < 10_000) return t('time.justNow');
  return t('time.ago', { duration: duration(ms) });
}

/** The session timer: "4:05 left", "1h 05:00 left". */
export function timeLeft(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const seconds = String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0');
  return minutes >= 60
    ? t('time.leftHours', { hours: Math.floor(minutes / 60), minutes: String(minutes % 60).padStart(2, '0'), seconds })
    : t('time.left', { minutes, seconds });
}

/** A date and time in the active language's way of writing them ("2025. 3. 4. 오후 2:05", "3/4/2025, 2:05 PM"). */
export function dateTime(iso: string): string {
  return new Intl.DateTimeFormat(activeLanguage(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** A time of day with seconds, for "read at …". */
export function clockTime(iso: string): string {
  return new Intl.DateTimeFormat(activeLanguage(), { timeStyle: 'medium' }).format(new Date(iso));
}

/** A number with the active language's grouping and decimal marks. */
export function number(value: number): string {
  return new Intl.NumberFormat(activeLanguage(), { maximumFractionDigits: 2 }).format(value);
}
