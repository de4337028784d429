/**
 * Planted trends and anomalies: the ground truth a detector test can check against. The generator records each one
 * in workspace_meta under 'demo_plants' (a JSON array of DemoPlant).
 */
export type PlantKind = 'spike' | 'drop' | 'trend_up' | 'trend_down' | 'overrun' | 'conflict';

export interface DemoPlant {
  /** Stable identifier of the plant, e.g. 'ticket_volume_spike'. */
  id: string;
  /** What moves, e.g. 'tickets.daily_count' or 'campaign_metrics_daily.ctr'. */
  metric: string;
  kind: PlantKind;
  /** Entity the series belongs to (catalog key, e.g. 'campaigns') and its id, when the plant is about one record. */
  entityType?: string;
  entityId?: number;
  /** Column filters that select the affected rows, e.g. { category: 'login' }. */
  filter?: Record<string, string>;
  /** First and last affected day ('YYYY-MM-DD', inclusive). */
  start: string;
  end: string;
  /**
   * Size of the effect. spike: multiple of the baseline (3.5 = 3.5×); drop and trend_*: relative change from the
   * baseline to the end of the window (-0.7 = 70 % lower, 2 = three times higher); overrun: ratio to plan
   * (spent / budget, or days late for schedule slips); conflict: minutes of overlap.
   */
  magnitude: number;
  /** The normal level the effect is measured against, when one applies. */
  baseline?: number;
  /** Other records involved (e.g. the two double-booked jobs). */
  related?: { entityType: string; ids: number[] }[];
  description: string;
}

export class PlantLog {
  readonly plants: DemoPlant[] = [];

  add(plant: DemoPlant): void {
    this.plants.push(plant);
  }
}
