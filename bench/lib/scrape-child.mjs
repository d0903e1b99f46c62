/**
 * The scraping side of the /metrics benchmarks, in its own process (bench/lib/remote-scraper.ts
 * starts it). Prometheus is another process with a fast reader, so what it waits for is the
 * server's work, overlapped with its own receive on another core. Measured for 35 MiB from one
 * prebuilt Buffer (load 4–12, medians): a node:http client in the server's own process 156–363
 * ms, a node:http client in another process 394 ms, curl 37–161 ms, and this reader 179 ms
 * beside curl's 161. node:http's client pays JavaScript per 64 KiB read; this one reads the
 * socket into one reused 4 MiB buffer (net's `onread`) and only counts.
 *
 * It speaks just enough HTTP/1.1 for the bench: one request per connection with
 * `Connection: close`, the status from the status line, the body read to the server's close.
 * Protocol over the IPC channel: { id, port, path, method, gzip } in, { id, bytes, status } or
 * { id, error } out; `bytes` counts what follows the header block (a chunked body's framing
 * included). Plain .mjs so it starts without a TypeScript loader.
 */
import { connect } from 'node:net';

const readBuffer = Buffer.allocUnsafe(4 << 20);
const HEADER_END = Buffer.from('\r\n\r\n');

process.on('message', ({ id, port, path, method, gzip }) => {
  let head = Buffer.alloc(0); // until the header block is whole
  let status = 0;
  let bytes = 0;
  const onRead = (n) => {
    if (status !== 0) {
      bytes += n;
      return;
    }
    head = Buffer.concat([head, readBuffer.subarray(0, n)]);
    const end = head.indexOf(HEADER_END);
    if (end < 0) return;
    status = Number(head.subarray(9, 12).toString('latin1'));
    bytes = head.length - end - HEADER_END.length;
  };
  const socket = connect({
    port,
    host: '127.0.0.1',
    onread: { buffer: readBuffer, callback: onRead },
  });
  socket.on('connect', () =>
    socket.write(
      `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n` +
        (gzip ? 'Accept-Encoding: gzip\r\n' : '') +
        '\r\n',
    ),
  );
  socket.on('end', () => process.send({ id, bytes, status }));
  socket.on('error', (error) => process.send({ id, error: String(error) }));
});
process.on('disconnect', () => process.exit(0));
