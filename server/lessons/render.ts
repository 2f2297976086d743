import MarkdownIt from 'markdown-it';
import type { RendererRule, Token } from 'markdown-it';
import { markPlaceholders } from './placeholders.js';

/** What the parser attaches to a runnable fence so the renderer can emit its run/copy metadata. */
export type FenceMeta = {
  step: number;
  block: number;
  node: string;
  file?: string;
};

function isFenceMeta(value: unknown): value is FenceMeta {
  return typeof value === 'object' && value !== null && 'block' in value && 'node' in value;
}

const renderFence: RendererRule = (tokens, index) => {
  const token = tokens[index];
  const escape = (text: string) => markdown.utils.escapeHtml(text);
  const lang = token.info.trim().split(/\s+/)[0] ?? '';
  const langClass = lang && !lang.includes('=') ? ` class="language-${escape(lang)}"` : '';
  const code = `<pre><code${langClass}>${markPlaceholders(escape(token.content))}</code></pre>`;
  if (!isFenceMeta(token.meta)) return `${code}\n`;
  const { step, block, node, file } = token.meta;
  const fileAttr = file ? ` data-file="${escape(file)}"` : '';
  const caption = file ? `${escape(node)}: ${escape(file)}` : escape(node);
  // The page builds its Run and Copy buttons from these attributes and sends back only (step, block).
  return `<div class="code-block" data-step="${step}" data-block="${block}" data-node="${escape(node)}"${fileAttr}>`
    + `<div class="code-block-node">${caption}</div>${code}</div>\n`;
};

/** The one markdown-it instance: raw HTML off, so lesson text can never inject markup. */
export const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });
markdown.renderer.rules.fence = renderFence;

export function renderTokens(tokens: Token[]): string {
  return markdown.renderer.render(tokens, markdown.options, {});
}
