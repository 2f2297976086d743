import type { DashboardMessage, EventView, LearnerRow } from '../../../shared/classroom-protocol.js';
import type { LessonSummary } from '../../../shared/lesson-protocol.js';
import { copyText } from '../clipboard.js';
import { ago, button, duration, h } from '../dom.js';
import { showToast } from '../toasts.js';
import { instructorApi } from './instructor-api.js';
import { LearnerDrawer } from './learner-drawer.js';

interface Row extends LearnerRow {
  /** When this row arrived, so "time on step" keeps counting between updates. */
  receivedAt: number;
}

/** One event's live dashboard: the join code, tools, and a table of learners kept current over server-sent events. */
export class Dashboard {
  readonly element: HTMLElement;
  private event: EventView;
  private readonly rows = new Map<string, Row>();
  private readonly source: EventSource;
  private readonly header = h('div', { class: 'event-header' });
  private readonly table = h('tbody', {});
  private readonly summary = h('span', { class: 'muted table-summary' });
  private readonly live = h('span', { class: 'live-state connecting' }, 'connecting');
  private readonly drawer: LearnerDrawer;
  private readonly timer: number;

  constructor(
    event: EventView,
    private readonly lessons: LessonSummary[],
    private readonly changed: (event: EventView) => void,
  ) {
    this.event = event;
    const tools = this.tools();
    const head = h('tr', {}, ...['Learner', 'Lesson · step', 'Checks', 'Points', 'On step', 'Last activity', 'Failing checks', ''].map((t) => h('th', { scope: 'col' }, t)));
    this.element = h(
      'section',
      { class: 'dashboard', 'data-event': event.id },
      this.header,
      tools,
      h('div', { class: 'table-head' }, h('h3', {}, 'Learners'), this.summary, this.live),
      h('div', { class: 'table-wrap' }, h('table', { class: 'learners' }, h('thead', {}, head), this.table)),
    );
    this.drawer = new LearnerDrawer(document.body);
    this.renderHeader();
    this.renderRows();
    this.source = new EventSource(`/api/instructor/events/${event.id}/stream`);
    this.source.onopen = () => this.setLive('live');
    this.source.onerror = () => this.setLive(this.source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    this.source.onmessage = (message: MessageEvent<string>) => {
      let data: DashboardMessage;
      try {
        data = JSON.parse(message.data) as DashboardMessage;
      } catch {
        return;
      }
      this.onMessage(data);
    };
    this.timer = window.setInterval(() => this.renderRows(), 15_000);
  }

  dispose(): void {
    this.source.close();
    clearInterval(this.timer);
    this.drawer.close();
  }

  private setLive(state: string): void {
    this.live.className = `live-state ${state}`;
    this.live.textContent = state;
  }

  private onMessage(message: DashboardMessage): void {
    const now = Date.now();
    if (message.type === 'snapshot') {
      this.event = message.event;
      this.rows.clear();
      for (const row of message.learners) this.rows.set(row.id, { ...row, receivedAt: now });
      this.renderHeader();
      this.changed(message.event);
    } else if (message.type === 'learner') {
      const isNew = !this.rows.has(message.learner.id);
      this.rows.set(message.learner.id, { ...message.learner, receivedAt: now });
      if (isNew) {
        this.event = { ...this.event, learners: this.rows.size };
        this.renderHeader();
        this.changed(this.event);
      }
    } else if (message.type === 'left') {
      this.rows.delete(message.learnerId);
    }
    this.renderRows();
  }

  private renderHeader(): void {
    const e = this.event;
    const copyLink = button('Copy link', () => {
      void copyText(e.joinUrl);
      showToast('Join link copied.');
    }, { class: 'button small' });
    const end = button('End event', () => void this.endEvent(), { class: 'button small danger' });
    end.disabled = Boolean(e.endedAt);
    const window_ = [e.opensAt ? `opens ${new Date(e.opensAt).toLocaleString()}` : '', e.closesAt ? `closes ${new Date(e.closesAt).toLocaleString()}` : ''].filter(Boolean).join(' · ');
    this.header.replaceChildren(
      h('div', { class: 'event-title' }, h('h2', {}, e.name), e.endedAt ? h('span', { class: 'badge down' }, 'ended') : h('span', { class: 'badge worker' }, 'open'), h('span', { class: 'muted' }, `${e.learners}/${e.capacity} learners${window_ ? ` · ${window_}` : ''}${e.warmPool ? ` · warm pool ${e.warmPool}` : ''}`)),
      h(
        'div',
        { class: 'join-box' },
        h('div', {}, h('small', { class: 'muted' }, 'Join code'), h('div', { class: 'join-code', 'data-join-code': '' }, e.joinCode)),
        h('div', { class: 'join-url' }, h('small', { class: 'muted' }, 'Join link'), h('a', { href: e.joinUrl, target: '_blank', rel: 'noopener', id: 'join-link' }, e.joinUrl)),
        copyLink,
        end,
      ),
      h('div', { class: 'event-lessons' }, ...e.lessons.map((id, i) => h('span', { class: 'chip' }, `${i + 1}. ${this.lessons.find((l) => l.id === id)?.title ?? id}`))),
    );
  }

  private tools(): HTMLElement {
    const text = h('input', { type: 'text', maxlength: '500', placeholder: 'Message to everyone, e.g. "5 minutes left on this step"', 'aria-label': 'Message to every learner' });
    const send = h('button', { type: 'submit', class: 'button primary' }, 'Send');
    const messageForm = h('form', { class: 'message-form' }, text, send);
    messageForm.onsubmit = async (event) => {
      event.preventDefault();
      if (!text.value.trim()) return;
      send.disabled = true;
      try {
        const { sent } = await instructorApi.message(this.event.id, text.value.trim());
        showToast(`Message sent to ${sent} learner${sent === 1 ? '' : 's'}.`, { kind: 'success' });
        text.value = '';
      } catch (error) {
        showToast((error as Error).message, { kind: 'error' });
      } finally {
        send.disabled = false;
      }
    };
    const lesson = h('select', { 'aria-label': 'Lesson to grade' }, ...this.event.lessons.map((id) => h('option', { value: id }, this.lessons.find((l) => l.id === id)?.title ?? id)));
    const grade = button('Grade now', async () => {
      grade.disabled = true;
      grade.textContent = 'Grading…';
      try {
        const { reports } = await instructorApi.grade(this.event.id, lesson.value);
        showToast(`Graded ${reports.length} learner${reports.length === 1 ? '' : 's'} on their live clusters.`, { kind: 'success' });
      } catch (error) {
        showToast((error as Error).message, { kind: 'error' });
      } finally {
        grade.disabled = false;
        grade.textContent = 'Grade now';
      }
    }, { title: 'Run every check of this lesson on every learner’s cluster now' });
    const download = (format: 'csv' | 'junit' | 'json', label: string) => {
      const link = h('a', { class: 'button small', href: '#', download: '' }, label);
      link.onclick = () => link.setAttribute('href', instructorApi.resultsUrl(this.event.id, lesson.value, format));
      return link;
    };
    return h(
      'div',
      { class: 'tools' },
      h('div', { class: 'tool' }, h('h3', {}, 'Message'), messageForm),
      h('div', { class: 'tool grade-tool' }, h('h3', {}, 'Grade & results'), h('div', { class: 'grade-row' }, lesson, grade, download('csv', '↓ CSV'), download('junit', '↓ JUnit'), download('json', '↓ JSON'))),
    );
  }

  private renderRows(): void {
    const rows = [...this.rows.values()].sort((a, b) => Number(b.stuck) - Number(a.stuck) || a.name.localeCompare(b.name));
    const now = Date.now();
    const stuck = rows.filter((r) => r.stuck).length;
    this.summary.textContent = rows.length ? `${rows.length} learner${rows.length === 1 ? '' : 's'}${stuck ? ` · ${stuck} stuck` : ''}` : '';
    if (!rows.length) {
      this.table.replaceChildren(h('tr', {}, h('td', { colspan: '8', class: 'empty' }, 'Nobody has joined yet. Share the join code or link above.')));
      return;
    }
    this.table.replaceChildren(...rows.map((row) => this.renderRow(row, now)));
  }

  private renderRow(row: Row, now: number): HTMLElement {
    const lessonTitle = row.lesson ? (this.lessons.find((l) => l.id === row.lesson)?.title ?? row.lesson) : '—';
    const pct = row.checksTotal ? Math.round((row.checksPassed / row.checksTotal) * 100) : 0;
    const hasSession = row.sessionStatus === 'running';
    const more = h(
      'details',
      { class: 'menu' },
      h('summary', { class: 'button small', 'aria-label': `More actions for ${row.name}` }, '⋯'),
      h(
        'div',
        { class: 'menu-items' },
        button('Extend session', () => void this.action(row, 'extend'), { class: 'menu-item', ...(hasSession ? {} : { disabled: '' }) }),
        button('Reset (fresh nodes)', () => void this.action(row, 'reset'), { class: 'menu-item' }),
        button('End session', () => void this.action(row, 'end'), { class: 'menu-item danger', ...(hasSession ? {} : { disabled: '' }) }),
      ),
    );
    return h(
      'tr',
      { class: `${row.stuck ? 'stuck' : ''}${hasSession ? '' : ' no-session'}`, 'data-learner': row.id, 'data-name': row.name },
      h('td', { class: 'learner-cell' }, h('strong', {}, row.name), row.stuck ? h('span', { class: 'badge stuck', title: 'On the same step for a while with failing or unchecked checks' }, 'stuck') : null, hasSession ? null : h('span', { class: 'badge' }, 'no session')),
      h('td', {}, h('div', { class: 'cell-main' }, lessonTitle), h('div', { class: 'cell-sub muted' }, row.stepTitle ? `Step ${row.step + 1}: ${row.stepTitle}` : `Step ${row.step + 1}`)),
      h('td', { class: 'checks-cell', 'data-checks': `${row.checksPassed}/${row.checksTotal}` }, h('div', { class: 'cell-main' }, `${row.checksPassed} / ${row.checksTotal}`), h('div', { class: 'mini-bar' }, h('span', { style: `width:${pct}%` }))),
      h('td', { class: 'num' }, `${row.points.earned} / ${row.points.possible}`),
      h('td', { class: 'num' }, duration(row.timeOnStepMs + (now - row.receivedAt))),
      h('td', { class: 'muted' }, ago(row.lastActivity, now)),
      h('td', { class: 'failing-cell' }, ...(row.failing.length ? row.failing.map((f) => h('span', { class: 'chip bad', title: f }, f)) : [h('span', { class: 'muted' }, '—')])),
      h(
        'td',
        { class: 'actions-cell' },
        button('Cluster', () => this.drawer.showCluster(row), { class: 'button small', ...(hasSession ? {} : { disabled: '' }) }),
        button('Terminal', () => void this.drawer.showTerminal(row), { class: 'button small', ...(hasSession ? {} : { disabled: '' }) }),
        more,
      ),
    );
  }

  private async action(row: LearnerRow, action: 'extend' | 'reset' | 'end'): Promise<void> {
    const question = { extend: '', reset: `Give ${row.name} fresh nodes for their current lesson? Their progress is kept; their current nodes are removed.`, end: `End ${row.name}'s session? Their nodes are removed.` }[action];
    if (question && !confirm(question)) return;
    try {
      await instructorApi.learnerAction(row.id, action);
      showToast({ extend: `Extended ${row.name}'s session.`, reset: `${row.name} has fresh nodes.`, end: `Ended ${row.name}'s session.` }[action], { kind: 'success' });
    } catch (error) {
      showToast((error as Error).message, { kind: 'error' });
    }
  }

  private async endEvent(): Promise<void> {
    if (!confirm(`End "${this.event.name}"? Every learner's session ends and nobody can join any more.`)) return;
    try {
      await instructorApi.endEvent(this.event.id);
      const { event } = await instructorApi.event(this.event.id);
      this.event = event;
      this.renderHeader();
      this.changed(event);
    } catch (error) {
      showToast((error as Error).message, { kind: 'error' });
    }
  }
}
