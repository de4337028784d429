import type { PiiInjector } from './pii';
import type { Plan } from './plan';
import type { PlantLog } from './plants';
import { Rand } from './random';
import type { Sink } from './sink';
import type { Calendar } from './time';

export interface UserRef {
  id: number;
  name: string;
  first: string;
  last: string;
  email: string;
  role: string;
  team: string;
}

export interface AccountRef {
  id: number;
  name: string;
  domain: string;
  industry: string;
  /** 0 smb, 1 mid_market, 2 enterprise */
  tier: number;
  lifecycle: 'prospect' | 'customer' | 'churned';
  region: string;
  city: number;
  ownerId: number;
  createdDay: number;
  employees: number;
  arr: number;
  firstContact: number;
  contactCount: number;
}

export interface ContactRef {
  id: number;
  accountId: number;
  first: string;
  last: string;
  email: string | null;
  phone: string | null;
  title: string;
}

export interface AgentRef {
  id: number;
  userId: number;
  name: string;
  first: string;
  team: string;
  hireDay: number;
}

export interface TechnicianRef {
  id: number;
  name: string;
  first: string;
  region: string;
  skills: string;
}

/** Days (inclusive) of the planted effects, decided up front so every domain can refer to them. */
export interface PlantWindows {
  ticketSpike: [number, number];
  slaSurge: [number, number];
  winRate: [number, number];
  pipeline: [number, number];
  ctrCollapse: [number, number];
  vendorDrop: [number, number];
  agentCsat: [number, number];
  usageDrop: [number, number];
  usageGrowth: [number, number];
}

/** Everything the domain generators share: options, clock, output, and references to rows already written. */
export interface World {
  seed: number;
  workspaceName: string;
  plan: Plan;
  cal: Calendar;
  sink: Sink;
  plants: PlantLog;
  pii: PiiInjector;
  windows: PlantWindows;
  users: UserRef[];
  byRole: Map<string, UserRef[]>;
  accounts: AccountRef[];
  customers: AccountRef[];
  contacts: ContactRef[];
  agents: AgentRef[];
  technicians: TechnicianRef[];
  vendors: { id: number; name: string; category: string }[];
  campaigns: { id: number; name: string }[];
  projects: { id: number; name: string; code: string }[];
  /** Facts later domains (KPIs, issues, notes) refer to. */
  facts: {
    trackedAccountIds: number[];
    churnRiskAccountId: number;
    growthAccountId: number;
    lateVendorId: number;
    decliningAgentId: number;
    ticketCount: number;
    dealCount: number;
    dispatchJobCount: number;
    purchaseOrderCount: number;
  };
}

export const rand = (w: World, stream: string): Rand => Rand.stream(w.seed, stream);

export const usersWithRole = (w: World, role: string): UserRef[] => w.byRole.get(role) ?? [];

/** Contacts of an account are stored contiguously; picks one (or null for an account without contacts). */
export function contactOf(w: World, r: Rand, account: AccountRef): ContactRef | null {
  if (account.contactCount === 0) return null;
  return w.contacts[account.firstContact - 1 + r.int(0, account.contactCount - 1)]!;
}

export const TIERS = ['smb', 'mid_market', 'enterprise'] as const;

/** Keeps a generated time in the past: times at or after "now" become a random moment earlier that day. */
export const past = (w: World, r: Rand, sec: number): number => (sec < w.cal.now - 1800 ? sec : w.cal.now - r.int(3600, 36000));
