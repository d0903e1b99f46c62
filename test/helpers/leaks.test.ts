// The leak check itself: it must see what a piece of work leaves open, and must not fail
// because something that was pending before the work has finished meanwhile.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { activeResources, leftOpen, settleHandles, withoutLeaks } from './leaks.js';

describe('leak check', () => {
  it('names a timer and a server the work left open', async () => {
    await settleHandles();
    const before = activeResources();
    const timer = setTimeout(() => undefined, 60_000);
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    try {
      assert.deepEqual(leftOpen(before).sort(), ['TCPServerWrap', 'Timeout']);
      let leaked: NodeJS.Timeout | undefined;
      await assert.rejects(
        withoutLeaks(async () => {
          leaked = setTimeout(() => undefined, 60_000);
        }),
        { message: /a socket or timer was left open/ },
      );
      clearTimeout(leaked);
    } finally {
      clearTimeout(timer);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await settleHandles();
    assert.deepEqual(leftOpen(before), []);
  });

  it('a handle that was closing before the work and is gone after is no leak', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    server.close();
    // The close is in flight: the server still counts as active now.
    const before = activeResources();
    assert.ok(before.includes('TCPServerWrap'));
    await settleHandles();
    assert.deepEqual(leftOpen(before), []);
  });

  it('counts each name: a second socket of a kind already open is still a leak', async () => {
    await settleHandles();
    const first = setTimeout(() => undefined, 60_000);
    const before = activeResources();
    const second = setTimeout(() => undefined, 60_000);
    try {
      assert.deepEqual(leftOpen(before), ['Timeout']);
    } finally {
      clearTimeout(first);
      clearTimeout(second);
    }
  });
});
