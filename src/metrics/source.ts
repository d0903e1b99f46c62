/** What GET /metrics sends: the web layer asks this for the body and knows nothing else. */
export interface MetricsSource {
  contentType: string;
  /** The whole exposition text (tests and callers that want a string). */
  render(): Promise<string>;
  /**
   * The body as buffers to write one after the other, so the large part that changes only
   * with the state is sent as it was built instead of being copied per scrape. With gzip,
   * each buffer is a gzip member of its own: concatenated members are one valid gzip
   * stream (RFC 1952 §2.2), which HTTP clients, Prometheus among them, decompress whole.
   * `sent` settles when the caller no longer reads the buffers (the response closed): the
   * source may then write a later body into them. Without it, they are the caller's.
   */
  body(encoding: 'identity' | 'gzip', sent?: Promise<unknown>): Promise<Buffer[]>;
}
