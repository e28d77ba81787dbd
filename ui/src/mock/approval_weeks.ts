/** The mock's submitted weeks, day by day: what a manager sees on expanding a pending week. */
import type { DayDetails, PendingTimesheet, WeekDetails } from '../ipc';
import { addDays } from '../format';

/** Monday to Friday share the week's total: 60 % on Website (two logs), 40 % on Mobile app; the weekend is empty. */
export function demoWeek(p: PendingTimesheet): WeekDetails {
  const perDay = Math.floor(p.totalSeconds / 5);
  const days: DayDetails[] = [];
  for (let i = 0; i < 7; i++) {
    const date = addDays(p.weekStart, i);
    const workday = i >= 1 && i <= 5;
    if (!workday) {
      days.push({ date, totalSeconds: 0, screenshots: 0, projects: [], logs: [] });
      continue;
    }
    const web = Math.round(perDay * 0.6);
    const app = perDay - web;
    const at = (secondsAfterNine: number) => new Date(`${date}T09:00:00Z`).getTime() + secondsAfterNine * 1000;
    const log = (n: number, projectName: string, description: string, from: number, seconds: number) => ({
      id: `${p.id}-${date}-${n}`,
      projectName,
      description,
      startedAt: new Date(at(from)).toISOString(),
      stoppedAt: new Date(at(from + seconds)).toISOString(),
      seconds,
    });
    const half = Math.floor(web / 2);
    days.push({
      date,
      totalSeconds: perDay,
      screenshots: 6 + i,
      projects: [
        { name: 'Website', seconds: web },
        { name: 'Mobile app', seconds: app },
      ],
      logs: [
        log(1, 'Website', 'Checkout page', 0, half),
        log(2, 'Mobile app', 'Push notifications', half, app),
        log(3, 'Website', 'Code review', half + app + 1800, web - half),
      ],
    });
  }
  return { id: p.id, timeZone: 'UTC', days };
}
