import { catalogue, type Database } from '@buurtservice/db';
import type { Tariff } from '@buurtservice/shared';

export interface CachedService {
  id: string;
  code: string;
  name: { nl: string; en: string };
  description: { nl: string; en: string };
  location: 'customer_address' | 'service_point';
  defaultDurationMinutes: number;
  minWorkers: number;
  maxWorkers: number;
  requiredSkill: string;
  active: boolean;
}

export interface ProgrammeCatalogue {
  services: CachedService[];
  servicesById: Map<string, CachedService>;
  tariffs: Tariff[];
}

/**
 * Services and tariffs change a few times a year and are read on every quote, so each API
 * instance keeps them in memory. A change made through this instance is seen at once; one made
 * through another instance within `maxAgeMs`.
 */
export class CatalogueCache {
  private readonly entries = new Map<string, { loadedAt: number; value: Promise<ProgrammeCatalogue> }>();

  constructor(
    private readonly db: Database,
    private readonly maxAgeMs: number,
  ) {}

  get(programmeId: string): Promise<ProgrammeCatalogue> {
    const entry = this.entries.get(programmeId);
    if (entry && Date.now() - entry.loadedAt < this.maxAgeMs) return entry.value;
    const value = this.load(programmeId);
    this.entries.set(programmeId, { loadedAt: Date.now(), value });
    value.catch(() => this.entries.delete(programmeId));
    return value;
  }

  invalidate(programmeId: string): void {
    this.entries.delete(programmeId);
  }

  private async load(programmeId: string): Promise<ProgrammeCatalogue> {
    const [serviceRows, tariffRows] = await Promise.all([catalogue.listServices(this.db, programmeId), catalogue.listTariffs(this.db, programmeId)]);
    const services = serviceRows.map((s) => ({
      id: s.id,
      code: s.code,
      name: { nl: s.name_nl, en: s.name_en },
      description: { nl: s.description_nl, en: s.description_en },
      location: s.location,
      defaultDurationMinutes: s.default_duration_minutes,
      minWorkers: s.min_workers,
      maxWorkers: s.max_workers,
      requiredSkill: s.required_skill,
      active: s.active,
    }));
    return {
      services,
      servicesById: new Map(services.map((s) => [s.id, s])),
      tariffs: tariffRows.map((t) => ({ category: t.category, centsPerWorkerHour: t.cents_per_worker_hour, validFrom: t.valid_from })),
    };
  }
}
