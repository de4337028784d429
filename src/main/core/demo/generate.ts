import type { Db } from '../db/open';
import type { TaskContext } from '../workers/context';
import { generateBusiness } from './business';
import { generateAccounts } from './crmAccounts';
import { generateDeals } from './crmDeals';
import { generateDispatch } from './dispatch';
import { generateConversations } from './inbox';
import { generateCampaigns } from './marketing';
import { generateNotes } from './notes';
import { generatePeople } from './people';
import { PiiInjector } from './pii';
import { expectedTotal, makePlan } from './plan';
import { PlantLog } from './plants';
import { generateAgentPerformance } from './performance';
import { generateProjects } from './projects';
import { Rand } from './random';
import { Sink } from './sink';
import { generateCustomerSuccess } from './success';
import { generateTickets } from './support';
import { Calendar } from './time';
import { generateVendors } from './vendors';
import type { PlantWindows, World } from './world';

export interface DemoOptions {
  scale: number;
  seed: number;
  /** 'YYYY-MM-DD': the history ends the day before; 00:00Z on it is the workspace's "now". */
  anchorDate: string;
  workspaceName: string;
}

/** Bumped whenever a change alters the rows generated for a given seed, scale and anchor date. */
export const DEMO_GENERATOR_VERSION = 1;

/** Small deterministic PRNG (mulberry32): the same seed gives the same sequence. */
export function rng(seed: number): () => number {
  const r = new Rand(seed);
  return () => r.next();
}

/**
 * Fills a freshly migrated workspace with a realistic, coherent demo organisation: every table of the domain schema,
 * about 5,000 rows per unit of scale, free text with some personal data to redact, and planted trends and anomalies
 * recorded as ground truth in workspace_meta ('demo_plants'). Same seed + scale + anchor date → identical rows.
 * Returns the row count per table.
 */
export function generateDemo(db: Db, options: DemoOptions, ctx: TaskContext): Record<string, number> {
  if (!(options.scale > 0) || !Number.isFinite(options.scale)) throw new RangeError(`Demo scale must be a positive number, got ${options.scale}.`);
  const cal = new Calendar(options.anchorDate);
  const plan = makePlan(options.scale);
  const sink = new Sink(db, ctx, expectedTotal(plan));
  const w: World = {
    seed: options.seed >>> 0,
    workspaceName: options.workspaceName,
    plan,
    cal,
    sink,
    plants: new PlantLog(),
    pii: new PiiInjector(Rand.stream(options.seed, 'pii')),
    windows: plantWindows(Rand.stream(options.seed, 'windows'), cal.anchorDay),
    users: [],
    byRole: new Map(),
    accounts: [],
    customers: [],
    contacts: [],
    agents: [],
    technicians: [],
    vendors: [],
    campaigns: [],
    projects: [],
    facts: { trackedAccountIds: [], churnRiskAccountId: 0, growthAccountId: 0, lateVendorId: 0, decliningAgentId: 0, ticketCount: 0, dealCount: 0, dispatchJobCount: 0, purchaseOrderCount: 0 },
  };
  // Bulk load with foreign keys unchecked (children are sometimes decided, and written, before their parent row);
  // the whole database is checked once at the end instead.
  db.pragma('foreign_keys = OFF');
  try {
    generatePeople(w);
    generateAccounts(w);
    generateDeals(w);
    generateVendors(w);
    generateProjects(w);
    generateTickets(w);
    generateConversations(w);
    generateCampaigns(w);
    generateDispatch(w);
    generateAgentPerformance(w);
    generateCustomerSuccess(w);
    generateBusiness(w);
    generateNotes(w);
    const meta = sink.bookkeeping('workspace_meta', ['key', 'value']);
    meta.add('name', options.workspaceName);
    meta.add('demo_seed', String(options.seed));
    meta.add('demo_scale', String(options.scale));
    meta.add('anchor_date', options.anchorDate);
    meta.add('demo_generator_version', String(DEMO_GENERATOR_VERSION));
    meta.add('demo_plants', JSON.stringify(w.plants.plants));
    meta.add('demo_pii_counts', JSON.stringify(w.pii.counts));
    sink.finish();
  } catch (error) {
    sink.abort();
    throw error;
  } finally {
    db.pragma('foreign_keys = ON');
  }
  const broken = db.pragma('foreign_key_check') as { table: string; parent: string }[];
  if (broken.length > 0) throw new Error(`Demo generator produced ${broken.length} dangling references (first: ${broken[0]!.table} → ${broken[0]!.parent}).`);
  return { ...sink.counts };
}

/** Where the planted effects sit, relative to the anchor day and shifted a few days by the seed. */
function plantWindows(r: Rand, A: number): PlantWindows {
  const spike = A - 40 + r.int(-5, 5);
  const surge = A - 26 + r.int(-3, 3);
  const ctr = A - 28 + r.int(-4, 4);
  const vendor = A - 60 + r.int(-5, 5);
  const csat = A - 50 + r.int(-5, 5);
  const usage = A - 40 + r.int(-4, 4);
  return {
    ticketSpike: [spike, spike + 3],
    slaSurge: [surge, surge + 9],
    winRate: [A - 90, A - 1],
    pipeline: [A - 60, A - 1],
    ctrCollapse: [ctr, A - 1],
    vendorDrop: [vendor, A - 1],
    agentCsat: [csat, A - 1],
    usageDrop: [usage, A - 1],
    usageGrowth: [A - 90, A - 1],
  };
}
