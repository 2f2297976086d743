import type { EventView } from '../../shared/classroom-protocol.js';
import type { CreatedSessionView } from '../../shared/protocol.js';
import { call } from './api.js';
import { button, h } from './dom.js';
import { loadLearner, saveLearner } from './learner-store.js';
import { saveCredentials } from './session-store.js';

/** The join page: event code and display name, then on to the workspace with the learner's own session. */
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

interface Joined {
  learner: { id: string; name: string };
  token: string;
  event: EventView;
  session: CreatedSessionView;
}

async function join(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const code = $<HTMLInputElement>('code').value.trim();
  const name = $<HTMLInputElement>('name').value.trim();
  const status = $('join-status');
  const submit = $<HTMLButtonElement>('join');
  if (code.length < 4 || !name) {
    status.className = 'start-status error';
    status.textContent = code.length < 4 ? 'Enter the event code.' : 'Enter a display name.';
    return;
  }
  submit.disabled = true;
  status.className = 'start-status';
  status.textContent = 'Joining and starting your nodes… this takes a few seconds.';
  try {
    const joined = await call<Joined>('POST', '/api/join', undefined, { code, name });
    saveLearner({ token: joined.token, id: joined.learner.id, name: joined.learner.name, event: joined.event.name });
    // The learner token opens their session too (docs/api.md); the workspace finds it again through /api/learners/me.
    saveCredentials({ id: joined.session.id, token: joined.token });
    location.assign('/');
  } catch (error) {
    status.className = 'start-status error';
    status.textContent = (error as Error).message;
    submit.disabled = false;
  }
}

function offerResume(): void {
  const learner = loadLearner();
  if (!learner) return;
  const box = $('resume');
  box.replaceChildren(h('span', {}, 'You already joined ', h('strong', {}, learner.event), ' as ', h('strong', {}, learner.name), '. '), button('Back to my workspace', () => location.assign('/'), { class: 'link-button' }));
  box.hidden = false;
}

$<HTMLFormElement>('join-form').addEventListener('submit', (event) => void join(event));
const code = new URLSearchParams(location.search).get('code');
if (code) {
  $<HTMLInputElement>('code').value = code;
  $<HTMLInputElement>('name').focus();
} else $<HTMLInputElement>('code').focus();
offerResume();
