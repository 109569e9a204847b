import type { Database } from '@buurtservice/db';
import type { ProgrammeSettings } from '@buurtservice/shared';
import { programmeSettings } from './bookings.js';

/**
 * Programme settings change a few times a year and are read on every booking request, so each API
 * instance keeps them as long as the catalogue (`CATALOGUE_CACHE_SECONDS`). A failed read is not kept.
 */
export class SettingsCache {
  private readonly entries = new Map<string, { loadedAt: number; value: Promise<ProgrammeSettings> }>();

  constructor(
    private readonly db: Database,
    private readonly maxAgeMs: number,
  ) {}

  get(programmeId: string): Promise<ProgrammeSettings> {
    const entry = this.entries.get(programmeId);
    if (entry && Date.now() - entry.loadedAt < this.maxAgeMs) return entry.value;
    const value = programmeSettings(this.db, programmeId);
    this.entries.set(programmeId, { loadedAt: Date.now(), value });
    value.catch(() => this.entries.delete(programmeId));
    return value;
  }
}
