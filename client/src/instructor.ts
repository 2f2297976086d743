import type { EventView } from '../../shared/classroom-protocol.js';
import { ApiError } from './api.js';
import { button, h } from './dom.js';
import { Dashboard } from './instructor/dashboard.js';
import { eventForm } from './instructor/event-form.js';
import { instructorApi } from './instructor/instructor-api.js';
import { lessonApi } from './lesson-panel/lesson-api.js';

/** The instructor's page: login, events, and the live dashboard of the chosen event. */
const app = document.getElementById('app')!;
const logout = document.getElementById('logout') as HTMLButtonElement;

function notConfigured(): void {
  app.replaceChildren(
    h(
      'div',
      { class: 'center' },
      h(
        'div',
        { class: 'card narrow', id: 'not-configured' },
        h('h1', {}, 'Instructor login is not set up'),
        h('p', {}, 'No instructor password is configured on this server. On the server, run'),
        h('pre', { class: 'command' }, 'npx workshop set-password'),
        h('p', { class: 'muted' }, 'or start it with WORKSHOP_INSTRUCTOR_PASSWORD set (10 characters or more), then reload this page.'),
      ),
    ),
  );
}

function login(message = ''): void {
  const password = h('input', { type: 'password', id: 'password', autocomplete: 'current-password', required: '', 'aria-label': 'Instructor password' });
  const status = h('p', { class: `form-status${message ? ' error' : ''}`, role: 'status' }, message);
  const submit = h('button', { type: 'submit', class: 'button primary', id: 'login' }, 'Log in');
  const form = h('form', { class: 'card narrow login-card' }, h('h1', {}, 'Instructor login'), h('label', { class: 'field' }, h('span', {}, 'Password'), password), submit, status);
  form.onsubmit = async (event) => {
    event.preventDefault();
    submit.disabled = true;
    try {
      await instructorApi.login(password.value);
      await consoleView();
    } catch (error) {
      status.className = 'form-status error';
      status.textContent = (error as Error).message;
      submit.disabled = false;
      password.select();
    }
  };
  app.replaceChildren(h('div', { class: 'center' }, form));
  password.focus();
}

async function consoleView(selectId?: string): Promise<void> {
  logout.hidden = false;
  const [events, lessons] = await Promise.all([instructorApi.events(), lessonApi.list()]);
  let dashboard: Dashboard | undefined;
  let selected = selectId ?? new URLSearchParams(location.hash.slice(1)).get('event') ?? events.find((e) => !e.endedAt)?.id;
  const list = h('nav', { class: 'event-list', 'aria-label': 'Events' });
  const main = h('div', { class: 'instructor-main' });

  const renderList = () => {
    list.replaceChildren(
      ...(events.length ? [] : [h('p', { class: 'muted empty-list' }, 'No events yet.')]),
      ...[...events].reverse().map((event) =>
        button(
          [h('strong', {}, event.name), h('small', { class: 'muted' }, `${event.joinCode} · ${event.learners} learner${event.learners === 1 ? '' : 's'}${event.endedAt ? ' · ended' : ''}`)],
          () => show(event.id),
          { class: `event-item${event.id === selected ? ' current' : ''}${event.endedAt ? ' ended' : ''}`, 'data-event': event.id },
        ),
      ),
    );
  };

  const replace = (view: EventView) => {
    const index = events.findIndex((e) => e.id === view.id);
    if (index >= 0) events[index] = view;
    else events.push(view);
    renderList();
  };

  function show(id: string): void {
    dashboard?.dispose();
    dashboard = undefined;
    selected = id;
    history.replaceState(null, '', `#event=${id}`);
    const event = events.find((e) => e.id === id);
    if (!event) return newEvent();
    dashboard = new Dashboard(event, lessons, replace);
    main.replaceChildren(dashboard.element);
    renderList();
  }

  function newEvent(): void {
    dashboard?.dispose();
    dashboard = undefined;
    selected = undefined;
    renderList();
    main.replaceChildren(eventForm(lessons, (view) => {
      replace(view);
      show(view.id);
    }, () => (events.length ? show(events[events.length - 1].id) : newEvent())));
  }

  const create = button('+ New event', newEvent, { class: 'button primary new-event', id: 'new-event' });
  app.replaceChildren(h('div', { class: 'instructor-layout' }, h('aside', { class: 'sidebar' }, create, h('h3', {}, 'Events'), list), main));
  if (selected && events.some((e) => e.id === selected)) show(selected);
  else newEvent();
}

async function boot(): Promise<void> {
  logout.onclick = async () => {
    await instructorApi.logout().catch(() => undefined);
    location.hash = '';
    location.reload();
  };
  try {
    const me = await instructorApi.me();
    if (!me.configured) return notConfigured();
    if (!me.loggedIn) return login();
    await consoleView();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return login('Your login has expired.');
    app.replaceChildren(h('p', { class: 'error-text' }, `Could not load: ${(error as Error).message}`));
  }
}

void boot();
