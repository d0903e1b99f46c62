// The HRESULT table of docs/protocol.md §5.4 and its formatting.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  describeHresult,
  formatHresult,
  hresultSummary,
  listHresults,
} from '../../src/kms/hresult.js';
import { collectStrings, loadCaptures } from './rpc/vectors.js';

describe('HRESULTs', () => {
  it('formats as 0x + 8 uppercase hex digits', () => {
    assert.equal(formatHresult(0xc004f042), '0xC004F042');
    assert.equal(formatHresult(0), '0x00000000');
    assert.equal(formatHresult(0xd), '0x0000000D');
    assert.equal(formatHresult(-1073418174), '0xC004F042', 'signed form');
    assert.equal(formatHresult(Number.NaN), '0x00000000');
  });

  it('knows every code docs/protocol.md lists', () => {
    const expected: Record<number, string> = {
      0xc004f042: 'SL_E_VL_KEY_MANAGEMENT_SERVICE_ID_MISMATCH',
      0xc004f06c: 'SL_E_VL_INVALID_TIMESTAMP',
      0x8007000d: 'ERROR_INVALID_DATA',
      0xc004d104: 'SL_REMAPPING_SP_STATUS_INVALIDARG',
      0xc004f038: 'SL_E_VL_NOT_ENOUGH_COUNT',
      0xc004f039: 'SL_E_VL_BINDING_SERVICE_NOT_ENABLED',
      0xc004f041: 'SL_E_VL_KEY_MANAGEMENT_SERVICE_NOT_ACTIVATED',
      0xc004f074: 'SL_E_VL_BINDING_SERVICE_UNAVAILABLE',
      0x800706ba: 'RPC_S_SERVER_UNAVAILABLE',
      0x00000000: 'S_OK',
    };
    for (const [code, name] of Object.entries(expected)) {
      const info = describeHresult(Number(code));
      assert.ok(info, formatHresult(Number(code)));
      assert.equal(info.name, name);
      assert.ok(info.meaning.length > 10);
      assert.ok(info.fix.length > 10);
    }
    assert.equal(listHresults().length, Object.keys(expected).length);
    assert.equal(
      describeHresult(0xc004f042 | 0)?.name,
      'SL_E_VL_KEY_MANAGEMENT_SERVICE_ID_MISMATCH',
    );
    assert.equal(describeHresult(0x12345678), undefined);
    assert.equal(describeHresult(Number.POSITIVE_INFINITY), undefined);
  });

  it('describes every HRESULT the captures return', () => {
    const codes = collectStrings(loadCaptures(), 'hresult');
    assert.ok(codes.size >= 2);
    for (const text of codes) {
      const info = describeHresult(Number.parseInt(text, 16));
      assert.ok(info, text);
      assert.equal(formatHresult(info.code), text.replace(/^0X/, '0x'));
      assert.equal(info.seenIn, 'host-response');
    }
  });

  it('points at slmgr where that helps', () => {
    assert.match(describeHresult(0xc004f042)!.fix, /slmgr \/ipk/);
    assert.match(describeHresult(0xc004f074)!.fix, /slmgr \/skms/);
    assert.match(hresultSummary(0xc004f06c), /^0xC004F06C SL_E_VL_INVALID_TIMESTAMP: /);
    assert.equal(hresultSummary(0x1234), '0x00001234');
  });
});
