/**
 * A failure explained: the named reason and HRESULT as the monitor saw them, then
 * Microsoft's meaning and the fix from the HRESULT table. Messages come from the host or
 * the network, so they are only ever text.
 */
import { formatHresult, type HresultInfo } from '../../kms/hresult.js';
import type { KmsError } from '../../kms/client/index.js';
import { clientSideInfo, hresultInfo } from './advice.js';
import { html, type SafeHtml } from './html.js';

function explain(info: HresultInfo, prefix: string): SafeHtml {
  return html`<p><span class="label">${prefix}</span> <code>${info.name}</code>: ${info.meaning}</p>
    <p><span class="label">Fix:</span> ${info.fix}</p>`;
}

export function renderKmsError(error: KmsError): SafeHtml {
  const info = hresultInfo(error.code);
  const clientInfo = info === undefined ? clientSideInfo(error.reason) : undefined;
  return html`<div class="error">
    <p>
      <strong>${error.reason}</strong
      >${error.code ? html` <code class="hresult">${error.code}</code>` : ''}:
      <span class="message">${error.message}</span>
    </p>
    ${info ? explain(info, 'Meaning:') : ''}
    ${
      clientInfo
        ? html`<p class="muted">
              Windows clients report this as
              <code class="hresult">${formatHresult(clientInfo.code)}</code>.
            </p>
            ${explain(clientInfo, 'Meaning:')}`
        : ''
    }
  </div>`;
}
