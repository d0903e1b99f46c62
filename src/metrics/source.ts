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
   */
  body(encoding: 'identity' | 'gzip'): Promise<Buffer[]>;
}
