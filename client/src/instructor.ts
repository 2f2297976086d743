import { html, nothing, render, type TemplateResult } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import type { EventView } from '../../shared/classroom-protocol.js';
import type { LessonSummary } from '../../shared/lesson-protocol.js';
import { ApiError } from './api.js';
import { activeLanguage, onLanguageChange, t, useClassLanguage } from './i18n/i18n.js';
import { CapacityCheck } from './instructor/capacity-check.js';
import { Dashboard } from './instructor/dashboard.js';
import { eventForm, type EventFormState } from './instructor/event-form.js';
import { instructorApi } from './instructor/instructor-api.js';
import { languageSwitch } from './language-switch.js';
import { lessonApi } from './lesson-panel/lesson-api.js';

/** Draws what the page shows now again; replaced by each view, called after a change of language. */
let redraw: () => void = () => undefined;
onLanguageChange(() => redraw());

/** The instructor's page: login, events, and the live dashboard of the chosen event. */

function page(content: TemplateResult | typeof nothing, loggedIn: boolean): void {
  document.title = t('page.instructorTitle');
  const logout = async () => {
    await instructorApi.logout().catch(() => undefined);
    location.hash = '';
    location.reload();
  };
  render(
    html`<header class="topbar">
        <div class="brand"><span class="brand-mark" aria-hidden="true"></span>${t('page.brand')} <span class="role-tag">${t('instructor.role')}</span></div>
        <div class="session-bar">${languageSwitch()}<button id="logout" type="button" class="button" ?hidden=${!loggedIn} @click=${logout}>${t('instructor.logout')}</button></div>
      </header>
      <main id="app" class="instructor-app">${content}</main>`,
    document.body,
  );
}

function notConfigured(): void {
  redraw = notConfigured;
  page(
    html`<div class="center">
      <div class="card narrow" id="not-configured">
        <h1>${t('instructor.notConfigured.title')}</h1>
        <p>${t('instructor.notConfigured.body')}</p>
        <pre class="command">npx workshop set-password</pre>
        <p class="muted">${t('instructor.notConfigured.env')}</p>
      </div>
    </div>`,
    false,
  );
}

function login(message = ''): void {
  const draw = (state: { busy: boolean; message: string }) => {
    redraw = () => draw(state);
    const submit = async (event: SubmitEvent) => {
      event.preventDefault();
      const password = (event.currentTarget as HTMLFormElement).querySelector<HTMLInputElement>('#password')!;
      draw({ busy: true, message: '' });
      try {
        await instructorApi.login(password.value);
        await new Console().open();
      } catch (error) {
        draw({ busy: false, message: (error as Error).message });
        password.select();
      }
    };
    page(
      html`<div class="center">
        <form class="card narrow login-card" @submit=${submit}>
          <h1>${t('instructor.login.title')}</h1>
          <label class="field"><span>${t('instructor.login.password')}</span><input type="password" id="password" autocomplete="current-password" required aria-label=${t('instructor.login.passwordLabel')} autofocus /></label>
          <button type="submit" class="button primary" id="login" ?disabled=${state.busy}>${t('instructor.login.submit')}</button>
          <p class="form-status ${state.message ? 'error' : ''}" role="status">${state.message}</p>
        </form>
      </div>`,
      false,
    );
  };
  draw({ busy: false, message });
  document.querySelector<HTMLInputElement>('#password')?.focus();
}

/** The logged-in view: the event list on the left, the chosen event's dashboard or the new-event form on the right. */
class Console {
  private events: EventView[] = [];
  private lessons: LessonSummary[] = [];
  private selected: string | undefined;
  private dashboard: Dashboard | undefined;
  private form: EventFormState | undefined;

  async open(): Promise<void> {
    [this.events, this.lessons] = await Promise.all([instructorApi.events(), lessonApi.list(activeLanguage())]);
    redraw = () => void this.followLanguage();
    const wanted = new URLSearchParams(location.hash.slice(1)).get('event') ?? this.events.find((e) => !e.endedAt)?.id;
    if (wanted && this.events.some((e) => e.id === wanted)) this.show(wanted);
    else this.newEvent();
  }

  /** After a change of language: the page's words at once, then the lesson titles in the new language. */
  private async followLanguage(): Promise<void> {
    const language = activeLanguage();
    this.dashboard?.redraw();
    this.draw();
    const lessons = await lessonApi.list(language).catch(() => undefined);
    if (!lessons || language !== activeLanguage()) return;
    this.lessons = lessons;
    this.dashboard?.useLessons(lessons);
    this.draw();
  }

  private replace(view: EventView): void {
    const index = this.events.findIndex((e) => e.id === view.id);
    if (index >= 0) this.events[index] = view;
    else this.events.push(view);
    this.draw();
  }

  private show(id: string): void {
    this.dashboard?.dispose();
    this.form = undefined;
    const event = this.events.find((e) => e.id === id);
    if (!event) return this.newEvent();
    this.selected = id;
    history.replaceState(null, '', `#event=${id}`);
    this.dashboard = new Dashboard(event, this.lessons, (view) => this.replace(view));
    this.draw();
    // The dashboard of a class is in the class's language, unless the instructor chose one (which wins).
    useClassLanguage(event.language);
  }

  private newEvent(): void {
    this.dashboard?.dispose();
    this.dashboard = undefined;
    this.selected = undefined;
    this.form = { busy: false, status: '', error: false, capacity: new CapacityCheck(() => this.lessons, () => this.form && this.draw()) };
    this.draw();
    useClassLanguage(undefined);
  }

  private draw(): void {
    const main = this.dashboard
      ? this.dashboard.element
      : this.form
        ? eventForm(this.lessons, this.form, {
            update: (state) => ((this.form = state), this.draw()),
            created: (view) => (this.replace(view), this.show(view.id)),
            cancel: () => (this.events.length ? this.show(this.events[this.events.length - 1].id) : this.newEvent()),
          })
        : nothing;
    page(
      html`<div class="instructor-layout">
        <aside class="sidebar">
          <button type="button" class="button primary new-event" id="new-event" @click=${() => this.newEvent()}>${t('instructor.newEvent')}</button>
          <h3>${t('instructor.events')}</h3>
          <nav class="event-list" aria-label=${t('instructor.events')}>
            ${this.events.length ? nothing : html`<p class="muted empty-list">${t('instructor.noEvents')}</p>`}
            ${repeat(
              [...this.events].reverse(),
              (event) => event.id,
              (event) => html`<button type="button" class="event-item ${event.id === this.selected ? 'current' : ''} ${event.endedAt ? 'ended' : ''}" data-event=${event.id} @click=${() => this.show(event.id)}>
                <strong>${event.name}</strong>
                <small class="muted">${t('instructor.eventLine', { code: event.joinCode, count: event.learners })}${event.endedAt ? t('instructor.endedSuffix') : ''}</small>
              </button>`,
            )}
          </nav>
        </aside>
        <div class="instructor-main">${main}</div>
      </div>`,
      true,
    );
  }
}

async function boot(): Promise<void> {
  redraw = () => page(html`<p class="muted loading">${t('instructor.loading')}</p>`, false);
  page(html`<p class="muted loading">${t('instructor.loading')}</p>`, false);
  try {
    const me = await instructorApi.me();
    if (!me.configured) return notConfigured();
    if (!me.loggedIn) return login();
    await new Console().open();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return login(t('instructor.login.expired'));
    const failed = () => page(html`<p class="error-text">${t('instructor.loadFailed', { message: (error as Error).message })}</p>`, false);
    redraw = failed;
    failed();
  }
}

void boot();
