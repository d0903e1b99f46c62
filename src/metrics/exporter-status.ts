/**
 * What kms-monitor says about itself: which version runs, and how the latest
 * configuration (re)load went. The app records reloads here; the kms_exporter_* families
 * (families/exporter.ts) read it on every scrape, as a failed reload leaves the state and
 * its cached text unchanged.
 */
import { VERSION } from '../version.js';

export class ExporterStatus {
  /** Whether the latest (re)load succeeded; false until the first. */
  lastReloadSuccessful = false;
  /** Unix time of the latest successful (re)load; null until the first. */
  lastReloadSuccessTimestamp: number | null = null;

  constructor(
    readonly version: string = VERSION,
    readonly nodeVersion: string = process.versions.node,
  ) {}

  configReloaded(success: boolean, at = new Date()): void {
    this.lastReloadSuccessful = success;
    if (success) this.lastReloadSuccessTimestamp = at.getTime() / 1000;
  }
}
