import { html, render } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import type { PublishedPortView } from '../../../shared/protocol.js';
import { t } from '../i18n/i18n.js';
import type { Credentials } from '../storage.js';
import { portUrl } from '../urls.js';
import { KEYS_HINT_ID } from './node-terminals.js';

/**
 * The bar under the terminals: the selected node's published ports as links, and a field to open any port.
 * Rendered in place on every status refresh: the field is never replaced, so a number being typed stays.
 */
export function renderPortsBar(el: HTMLElement, creds: Credentials, node: string, ports: readonly PublishedPortView[]): void {
  const open = (event: SubmitEvent) => {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).querySelector('input')!;
    const port = Number(input.value);
    if (Number.isInteger(port) && port >= 1 && port <= 65535) window.open(portUrl(creds, node, port), '_blank', 'noopener');
  };
  render(
    html`<span class="label">${ports.length ? t('ports.published', { node }) : t('ports.none', { node })}</span>
      ${repeat(
        ports,
        (p) => `${p.port}/${p.protocol}`,
        (p) =>
          html`<a
            class="port-link"
            href=${portUrl(creds, node, p.port)}
            target="_blank"
            rel="noopener"
            title=${t('ports.linkTitle', { source: t(`ports.source.${p.source}`), owner: p.owner, target: p.target ?? '?', protocol: p.protocol })}
            >${p.port}<small>${p.owner}</small></a
          >`,
      )}
      <form class="open-port" @submit=${open}>
        <input type="number" min="1" max="65535" placeholder=${t('ports.placeholder')} aria-label=${t('ports.inputLabel')} />
        <button class="button" type="submit">${t('ports.open')}</button>
      </form>
      <span id=${KEYS_HINT_ID} class="keys-hint muted">${t('terminal.keysHint')}</span>`,
    el,
  );
}
