import { html } from 'lit-html';
import type { TemplateName } from '../../../shared/protocol.js';
import { TemplateNameSchema } from '../../../shared/view-schemas.js';
import { t } from '../i18n/i18n.js';

const TEMPLATES: TemplateName[] = ['single', 'swarm-1m2w', 'swarm-3m2w'];

/** "Start a lab": pick a layout and whether the swarm is formed for you. */
export function startForm(state: { busy: boolean; message: string; error: boolean }, onStart: (template: TemplateName, swarm: boolean) => void) {
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const chosen = TemplateNameSchema.safeParse(new FormData(form).get('template'));
    const template = chosen.success ? chosen.data : 'single';
    onStart(template, form.querySelector<HTMLInputElement>('#swarm-formed')!.checked);
  };
  return html`<form id="start-form" class="start-card" @submit=${submit}>
    <h1>${t('start.title')}</h1>
    <p class="muted">${t('start.intro')}</p>
    <fieldset class="templates">
      <legend class="sr-only">${t('start.template')}</legend>
      ${TEMPLATES.map(
        (template) => html`<label class="template"
          ><input type="radio" name="template" value=${template} ?checked=${template === 'swarm-1m2w'} /><span
            ><strong>${t(`start.templates.${template}.name`)}</strong><small>${t(`start.templates.${template}.nodes`)}</small></span
          ></label
        >`,
      )}
    </fieldset>
    <label class="check"
      ><input type="checkbox" name="swarm" id="swarm-formed" /> ${t('start.swarmFormed')}
      <span class="muted">${t('start.swarmFormedNote.before')}<code>docker swarm init</code>${t('start.swarmFormedNote.after')}</span></label
    >
    <button id="start" type="submit" class="button primary" ?disabled=${state.busy}>${t('start.submit')}</button>
    <p id="start-status" class="start-status ${state.error ? 'error' : ''}" role="status">${state.message}</p>
  </form>`;
}
