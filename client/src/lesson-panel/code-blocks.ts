import { html, nothing, render } from 'lit-html';
import type { RunBlockResultView } from '../../../shared/view-schemas.js';
import { ApiError } from '../api.js';
import { copyText } from '../clipboard.js';
import { t } from '../i18n/i18n.js';

export interface BlockActions {
  /** Runs block `block` of the step: the page sends only the reference, the server looks the command up. */
  run(block: number): Promise<RunBlockResultView>;
  /** Called when the server says where the block runs, so the page can show that node's terminal. */
  showNode(node: string): void;
}

const COPIED_MS = 1500;
const DONE_MS = 2500;

/** A fresh element for lit-html to render into, inserted where the toolbar or the output goes. */
function host(): HTMLDivElement {
  return document.createElement('div');
}

/** The Copy button: copies the block's text and says so for a moment. */
function copyButton(code: string): (redraw: () => void) => unknown {
  let copied = false;
  return (redraw) =>
    html`<button
      type="button"
      class="button block-button copy ${copied ? 'done' : ''}"
      title=${t('blocks.copyTitle')}
      @click=${() => {
        void copyText(code.replace(/\n$/, ''));
        copied = true;
        redraw();
        window.setTimeout(() => ((copied = false), redraw()), COPIED_MS);
      }}
    >
      <span>${copied ? t('blocks.copied') : t('blocks.copy')}</span>
    </button>`;
}

type Outcome =
  | { kind: 'sent'; node: string }
  | { kind: 'exec'; result: Extract<RunBlockResultView, { mode: 'exec' }> }
  | { kind: 'error'; message: string; notReady: boolean };

/** A block's run: whether one is under way, how the last one ended, and whether that is still news. */
interface RunState {
  running: boolean;
  outcome?: Outcome;
  /** Cleared a moment after a successful run, when the button turns into "Run again". */
  fresh: boolean;
}

const succeeded = (o: Outcome | undefined): boolean => o?.kind === 'sent' || (o?.kind === 'exec' && o.result.exitCode === 0);

function runLabel(state: RunState, file: string | undefined): string {
  const { outcome } = state;
  if (state.running) return t('blocks.running');
  if (state.fresh && outcome?.kind === 'sent') return t('blocks.sent', { node: outcome.node });
  if (state.fresh && outcome?.kind === 'exec') return outcome.result.exitCode === 0 ? (file ? t('blocks.written') : t('blocks.done')) : t('blocks.failed');
  if (succeeded(outcome)) return file ? t('blocks.writeAgain') : t('blocks.runAgain');
  return file ? t('blocks.writeFile') : t('blocks.run');
}

/**
 * Gives each runnable block in rendered lesson HTML (`div.code-block[data-block][data-node]`,
 * server/lessons/render.ts) a Run and a Copy button; other code blocks get Copy only. The block keeps its own
 * state (running, its output) for as long as the element lives, whatever else the page redraws.
 */
export function enhanceCodeBlocks(root: HTMLElement, actions: BlockActions | null): void {
  for (const pre of root.querySelectorAll<HTMLPreElement>('pre')) {
    const block = pre.closest<HTMLElement>('div.code-block');
    const copy = copyButton(pre.querySelector('code')?.textContent ?? pre.textContent ?? '');
    const toolbar = host();

    if (!block || !actions || block.dataset.block === undefined) {
      const drawPlain = () => render(html`<div class="code-toolbar floating">${copy(drawPlain)}</div>`, toolbar);
      drawPlain();
      if (block) block.prepend(toolbar);
      else {
        const wrap = Object.assign(document.createElement('div'), { className: 'code-block plain' });
        pre.replaceWith(wrap);
        wrap.append(toolbar, pre);
      }
      (block ?? pre.parentElement!).classList.add('has-toolbar');
      continue;
    }

    const index = Number(block.dataset.block);
    const node = block.dataset.node ?? '';
    const file = block.dataset.file;
    const output = host();
    let state: RunState = { running: false, fresh: false };
    block.querySelector('.code-block-node')?.remove();
    block.prepend(toolbar);
    block.append(output);

    const draw = (): void => {
      const done = state.fresh && succeeded(state.outcome);
      const failed = Boolean(state.outcome) && !succeeded(state.outcome);
      render(
        html`<div class="code-toolbar">
          <span class="code-node"><span class="code-node-icon" aria-hidden="true">${file ? '📄' : '›_'}</span>${file ? `${node}: ${file}` : node}</span>
          <span class="spacer"></span>
          ${copy(draw)}
          <button
            type="button"
            class="button block-button run ${done ? 'done' : failed ? 'failed' : ''}"
            title=${file ? t('blocks.writeTitle', { node }) : t('blocks.runTitle', { node })}
            data-run=${index}
            ?disabled=${state.running}
            @click=${() => void run()}
          >
            <span class="play" aria-hidden="true">▶</span><span>${runLabel(state, file)}</span>
          </button>
        </div>`,
        toolbar,
      );
      render(outputTemplate(state.outcome, file), output);
    };

    const run = async (): Promise<void> => {
      state = { ...state, running: true };
      draw();
      actions.showNode(node);
      let outcome: Outcome;
      try {
        const result = await actions.run(index);
        actions.showNode(result.node);
        outcome = result.mode === 'exec' ? { kind: 'exec', result } : { kind: 'sent', node: result.node };
      } catch (error) {
        outcome = { kind: 'error', message: (error as Error).message, notReady: error instanceof ApiError && error.code === 'not_ready' };
      }
      const settled: RunState = { running: false, outcome, fresh: true };
      state = settled;
      draw();
      // A successful run turns into "Run again" after a moment; its output stays until the next run.
      window.setTimeout(() => {
        if (state !== settled) return;
        state = { ...settled, fresh: false };
        draw();
      }, DONE_MS);
    };
    draw();
  }
}

function outputTemplate(outcome: Outcome | undefined, file: string | undefined) {
  if (outcome?.kind === 'exec') {
    const { result } = outcome;
    const ok = result.exitCode === 0;
    const head = file ? (ok ? t('blocks.wrote', { file, node: result.node }) : t('blocks.writeFailed', { file })) : t('blocks.ran', { node: result.node, code: result.exitCode });
    const text = result.output.replace(/\s+$/, '');
    return html`<div class="run-output ${ok ? 'ok' : 'bad'}"><div class="run-output-head">${head}</div>${text ? html`<pre>${text}</pre>` : nothing}</div>`;
  }
  if (outcome?.kind === 'error') {
    return html`<div class="run-output ${outcome.notReady ? 'warn' : 'bad'}">
      <div class="run-output-head">${outcome.notReady ? t('blocks.notReady', { message: outcome.message }) : t('blocks.couldNotRun', { message: outcome.message })}</div>
    </div>`;
  }
  return nothing;
}
