/** What GET /metrics sends: the web layer asks this for the text and knows nothing else. */
export interface MetricsSource {
  contentType: string;
  render(): Promise<string>;
}
