/**
 * An ePID as the host sent it and decoded: host OS build and Windows name, key install
 * date, the CSVLK its ranges suggest. One that does not parse is shown as sent (as text)
 * and said to be invalid; nothing from it is trusted.
 */
import { tryParseEpid } from '../../kms/epid.js';
import type { RenderContext } from './context.js';
import { html, type SafeHtml } from './html.js';

export function renderEpid(text: string, ctx: RenderContext): SafeHtml {
  // The products of one application share an ePID, and so may many hosts: decoded once.
  const key = `epid\n${text}`;
  let out = ctx.memo.get(key);
  if (out === undefined) {
    out = decode(text);
    ctx.memo.set(key, out);
  }
  return out;
}

function decode(text: string): SafeHtml {
  const epid = tryParseEpid(text);
  if (epid === null) {
    return html`<code class="epid">${text}</code>
      <span class="word-warning">(not a valid ePID)</span>`;
  }
  return html`<code class="epid">${text}</code><br />
    <span class="decoded"
      >${epid.hostOs ?? 'unknown Windows'} <span class="muted">(build ${epid.hostBuild})</span> ·
      key installed
      ${epid.keyInstallDate ? epid.keyInstallDate.toISOString().slice(0, 10) : 'on an invalid date'}${epid.csvlkHint ? html` · CSVLK ${epid.csvlkHint}` : ''}</span
    >`;
}
