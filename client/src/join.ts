import { html, nothing, render } from 'lit-html';
import { JoinedViewSchema } from '../../shared/view-schemas.js';
import { call } from './api.js';
import { isLanguage } from './i18n/catalogues.js';
import { onLanguageChange, t } from './i18n/i18n.js';
import { languageSwitch } from './language-switch.js';
import { learnerStore, sessionStore } from './storage.js';

/** The join page: event code and display name, then on to the workspace with the learner's own session. */
interface JoinState {
  busy: boolean;
  status: string;
  error: boolean;
}

const MIN_CODE = 4;

async function join(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  const code = form.querySelector<HTMLInputElement>('#code')!.value.trim();
  const name = form.querySelector<HTMLInputElement>('#name')!.value.trim();
  if (code.length < MIN_CODE || !name) return draw({ busy: false, status: code.length < MIN_CODE ? t('join.needCode') : t('join.needName'), error: true });
  draw({ busy: true, status: t('join.joining'), error: false });
  try {
    const joined = await call(JoinedViewSchema, 'POST', '/api/join', { body: { code, name } });
    // The event's language is the workspace's default from its first render on (the learner's own choice still wins).
    const language = isLanguage(joined.event.language) ? joined.event.language : undefined;
    learnerStore.save({ token: joined.token, id: joined.learner.id, name: joined.learner.name, event: joined.event.name, language });
    // The learner token opens their session too (docs/api.md); the workspace finds it again through /api/learners/me.
    sessionStore.save({ id: joined.session.id, token: joined.token });
    location.assign('/');
  } catch (error) {
    draw({ busy: false, status: (error as Error).message, error: true });
  }
}

let shown: JoinState = { busy: false, status: '', error: false };

function draw(state: JoinState): void {
  shown = state;
  const learner = learnerStore.load();
  document.title = t('page.joinTitle');
  render(
    html`<header class="topbar"><div class="brand"><span class="brand-mark" aria-hidden="true"></span>${t('page.brand')}</div>${languageSwitch()}</header>
      <main class="start-view">
        <form id="join-form" class="start-card join-card" novalidate @submit=${(event: SubmitEvent) => void join(event)}>
          <h1>${t('join.title')}</h1>
          <p class="muted">${t('join.intro')}</p>
          <label class="field"><span>${t('join.code')}</span><input id="code" name="code" autocomplete="off" spellcheck="false" required minlength="4" maxlength="20" placeholder="ABCD-EFGH" /></label>
          <label class="field"><span>${t('join.name')}</span><input id="name" name="name" autocomplete="nickname" required maxlength="40" placeholder=${t('join.namePlaceholder')} /></label>
          <button id="join" type="submit" class="button primary" ?disabled=${state.busy}>${t('join.submit')}</button>
          <p id="join-status" class="start-status ${state.error ? 'error' : ''}" role="status">${state.status}</p>
          ${learner
            ? html`<div id="resume" class="resume">
                <span>${t('join.already.before')}<strong>${learner.event}</strong>${t('join.already.middle')}<strong>${learner.name}</strong>${t('join.already.after')}</span>
                <button type="button" class="link-button" @click=${() => location.assign('/')}>${t('join.backToWorkspace')}</button>
              </div>`
            : nothing}
        </form>
      </main>`,
    document.body,
  );
}

draw(shown);
onLanguageChange(() => draw(shown));
const code = new URLSearchParams(location.search).get('code');
const codeInput = document.querySelector<HTMLInputElement>('#code')!;
if (code) {
  codeInput.value = code;
  document.querySelector<HTMLInputElement>('#name')!.focus();
} else codeInput.focus();
