import { COMPANY_PREFIX } from './pools';
import { round2, weightedPicker } from './random';
import { DAY, HOUR } from './time';
import { past, rand, type World } from './world';

interface Category {
  name: string;
  lead: number;
  amount: number;
  items: readonly string[];
  /** Second words of supplier names in this category. */
  names: readonly string[];
  /** Goods can arrive damaged; services fail differently. */
  service: boolean;
}

const CATEGORIES: readonly Category[] = [
  { name: 'Sensors & hardware', lead: 14, amount: 18000, items: ['temperature probes', 'door sensors', 'LoRa gateways', 'humidity sensors', 'vibration sensors'], names: ['Electronics', 'Components', 'Sensors', 'Devices'], service: false },
  { name: 'Cabling & electrical', lead: 7, amount: 3500, items: ['Cat6 cable reels', 'PoE injectors', 'junction boxes', 'mounting brackets'], names: ['Electrical', 'Cable Co.', 'Industrial'], service: false },
  { name: 'Logistics', lead: 3, amount: 2200, items: ['pallet shipments', 'express courier runs', 'freight consolidations'], names: ['Freight', 'Logistics', 'Couriers'], service: true },
  { name: 'Contract installers', lead: 10, amount: 9000, items: ['installer days', 'electrician call-outs', 'site survey days'], names: ['Installations', 'Field Services', 'Technical Services'], service: true },
  { name: 'Packaging', lead: 5, amount: 1500, items: ['shipping boxes', 'anti-static bags', 'foam inserts'], names: ['Packaging', 'Boxes', 'Pack'], service: false },
  { name: 'Batteries', lead: 8, amount: 4000, items: ['lithium cells', 'battery packs', 'backup power units'], names: ['Power', 'Batteries', 'Energy Systems'], service: false },
  { name: 'IT services', lead: 10, amount: 6000, items: ['cloud hosting months', 'penetration tests', 'managed firewall months'], names: ['Technologies', 'IT Solutions', 'Cloud'], service: true },
];
const SEVERITY = weightedPicker([['minor', 65], ['major', 28], ['critical', 7]] as const);
const GOODS_INCIDENTS = [
  '{n} units dead on arrival from the {item} batch.', 'Wrong part numbers shipped; the {item} do not match the order.',
  'Packaging damaged, moisture inside the boxes.', 'Certificates of conformity missing from the shipment.',
  'Calibration certificates missing for the delivered {item}.', 'Firmware on the delivered {item} is two versions behind spec.',
] as const;
const SERVICE_INCIDENTS = [
  'Crew arrived {n} hours late and the site slot was lost.', 'Work not completed to spec; {n} items had to be redone.',
  'Invoice billed {n} more hours than the signed timesheets.', 'Missed the agreed service window without notice.',
] as const;
const LATE_NOTES = ['Delayed at customs', 'Carrier missed the delivery slot', 'Backorder at the vendor', 'Short shipment, remainder to follow', 'Production delay at the factory'] as const;
const ON_TIME_NOTES = ['Delivered complete', 'Signed for by warehouse', 'Checked in, no issues', ''] as const;
/** On-time rate of the planted vendor before and during its decline. */
export const VENDOR_ON_TIME_BEFORE = 0.92;
export const VENDOR_ON_TIME_AFTER = 0.35;

/** Suppliers, purchase orders, deliveries and quality incidents; one key supplier starts delivering late. */
export function generateVendors(w: World): void {
  const r = rand(w, 'vendors');
  const { cal, sink, plan } = w;
  const A = cal.anchorDay;
  const [drop0] = w.windows.vendorDrop;

  const insV = sink.insert('vendors', ['id', 'name', 'category', 'contact_email', 'phone', 'status', 'rating', 'contract_end', 'created_at']);
  const vendors: { id: number; name: string; cat: Category; onTime: number; status: string }[] = [];
  const names = new Set<string>();
  const lateId = r.int(1, plan.vendors);
  for (let id = 1; id <= plan.vendors; id++) {
    const cat = id === lateId ? CATEGORIES[0]! : CATEGORIES[(id + r.int(0, CATEGORIES.length - 1)) % CATEGORIES.length]!;
    let name = `${r.pick(COMPANY_PREFIX)} ${r.pick(cat.names)}`;
    while (names.has(name)) name = `${r.pick(COMPANY_PREFIX)} ${r.pick(cat.names)}`;
    names.add(name);
    const status = id === lateId ? 'active' : id % 7 === 3 ? 'probation' : id % 9 === 5 ? 'inactive' : 'active';
    const onTime = id === lateId ? VENDOR_ON_TIME_BEFORE : status === 'probation' ? 0.8 : r.float(0.86, 0.96);
    const domain = `${name.toLowerCase().replace(/[^a-z]/g, '')}.com`;
    const contractEnd = status === 'inactive' ? A - r.int(20, 200) : A + r.int(-10, 500);
    insV.add(id, name, cat.name, `orders@${domain}`, `+1 ${r.int(201, 989)} 555 01${r.int(10, 99)}`, status, round2(id === lateId ? 4.4 : r.float(3.2, 4.8)), cal.date(contractEnd), cal.ts((A - r.int(300, 1500)) * DAY + r.int(8 * HOUR, 18 * HOUR)));
    vendors.push({ id, name, cat, onTime, status });
    w.vendors.push({ id, name, category: cat.name });
  }
  w.facts.lateVendorId = lateId;
  const late = vendors[lateId - 1]!;

  // Orders: the planted vendor gets a steady share, with enough orders expected inside the decline window to measure.
  const orders: { vendor: (typeof vendors)[number]; day: number }[] = [];
  const lateCount = Math.max(14, Math.round(plan.purchaseOrders * 0.25));
  const lead = late.cat.lead;
  const inWindow = Math.max(7, Math.round(lateCount * 0.35));
  for (let i = 0; i < lateCount - inWindow; i++) orders.push({ vendor: late, day: cal.firstDay - 20 + Math.floor(((i + r.next()) / (lateCount - inWindow)) * (drop0 - lead - (cal.firstDay - 20))) });
  // Orders inside the window are expected early enough that even the late ones have arrived by the anchor date.
  for (let i = 0; i < inWindow; i++) orders.push({ vendor: late, day: drop0 - lead + Math.floor(((i + r.next()) / inWindow) * (A - 14 - drop0)) });
  const others = vendors.filter((v) => v.id !== lateId);
  for (let i = orders.length; i < Math.max(plan.purchaseOrders, lateCount + others.length); i++) {
    const v = others[i % others.length]!;
    const lastDay = v.status === 'inactive' ? A - 120 : A - 1;
    orders.push({ vendor: v, day: cal.firstDay - 20 + Math.floor(r.next() * (lastDay - cal.firstDay + 20)) });
  }
  orders.sort((a, b) => a.day - b.day || a.vendor.id - b.vendor.id);

  const insPO = sink.insert('purchase_orders', ['id', 'code', 'vendor_id', 'amount', 'ordered_at', 'expected_at', 'status', 'description']);
  const insD = sink.insert('deliveries', ['id', 'purchase_order_id', 'delivered_at', 'quantity', 'on_time', 'notes']);
  const insQ = sink.insert('vendor_quality_incidents', ['id', 'vendor_id', 'purchase_order_id', 'severity', 'description', 'occurred_at', 'resolved_at']);
  let did = 0;
  let qid = 0;
  let diffusion = r.next();
  orders.forEach((o, i) => {
    const id = i + 1;
    const v = o.vendor;
    const ordered = o.day * DAY + r.int(8 * HOUR, 17 * HOUR);
    const expectedDay = o.day + (v.id === lateId ? lead : Math.max(1, Math.round(v.cat.lead * r.jitter(0.2))));
    const expected = expectedDay * DAY + 17 * HOUR;
    const item = r.pick(v.cat.items);
    const qty = r.int(2, 60) * (v.cat.amount > 5000 ? 5 : 1);
    const amount = round2(v.cat.amount * r.jitter(0.5));
    const planted = v.id === lateId && expectedDay >= drop0;
    let onTime: boolean;
    if (v.id === lateId) {
      // Error diffusion keeps the planted vendor's rates close to the design in small workspaces too.
      const before = Math.floor(diffusion);
      diffusion += planted ? VENDOR_ON_TIME_AFTER : VENDOR_ON_TIME_BEFORE;
      onTime = Math.floor(diffusion) > before;
    } else onTime = r.chance(v.onTime);
    const delivered = onTime ? Math.max(ordered + DAY, expected - r.int(0, 3) * DAY - r.int(0, 8 * HOUR)) : expected + r.int(planted ? 3 : 1, planted ? 12 : 8) * DAY - r.int(0, 6 * HOUR);
    const cancelled = v.id !== lateId && r.chance(0.04);
    let status = cancelled ? 'cancelled' : 'open';
    // Decide the deliveries first (the order's status depends on them), write the order, then its children.
    const partial = !cancelled && delivered < cal.now && v.id !== lateId && r.chance(0.12);
    const firstQty = partial ? Math.max(1, Math.floor(qty * r.float(0.3, 0.7))) : qty;
    const rest = partial ? delivered + r.int(2, 12) * DAY : 0;
    if (!cancelled && delivered < cal.now) status = partial && rest >= cal.now ? 'partially_delivered' : 'delivered';
    insPO.add(id, `PO-${String(id).padStart(6, '0')}`, v.id, amount, cal.ts(ordered), cal.ts(expected), status, `${qty} x ${item}`);
    if (status === 'delivered' || status === 'partially_delivered') {
      insD.add(++did, id, cal.ts(delivered), firstQty, delivered <= expected ? 1 : 0, r.pick(delivered <= expected ? ON_TIME_NOTES : LATE_NOTES) || null);
      if (partial && rest < cal.now) insD.add(++did, id, cal.ts(rest), qty - firstQty, rest <= expected ? 1 : 0, 'Remainder of partial shipment');
      if (delivered < cal.now - 2 * HOUR && r.chance(planted ? 0.3 : 0.05)) {
        const occurred = Math.max(delivered + 60, past(w, r, delivered + r.int(2 * HOUR, 72 * HOUR)));
        const resolved = cal.now - occurred > 10 * DAY && r.chance(0.85) ? occurred + r.int(DAY, 9 * DAY) : null;
        insQ.add(++qid, v.id, id, SEVERITY(r), r.pick(v.cat.service ? SERVICE_INCIDENTS : GOODS_INCIDENTS).replace('{n}', String(r.int(2, 20))).replace('{item}', item), cal.ts(occurred), resolved === null ? null : cal.ts(resolved));
      }
    }
  });
  w.facts.purchaseOrderCount = orders.length;

  w.plants.add({
    id: 'vendor_on_time_drop', metric: 'deliveries.on_time_rate', kind: 'drop', entityType: 'vendors', entityId: lateId,
    start: cal.date(drop0), end: cal.date(A - 1), baseline: VENDOR_ON_TIME_BEFORE, magnitude: Math.round(((VENDOR_ON_TIME_AFTER - VENDOR_ON_TIME_BEFORE) / VENDOR_ON_TIME_BEFORE) * 1000) / 1000,
    description: `${late.name} (key sensor supplier): on-time rate of deliveries for purchase orders expected from ${cal.date(drop0)} falls from about ${VENDOR_ON_TIME_BEFORE * 100}% to ${VENDOR_ON_TIME_AFTER * 100}%, with more quality incidents.`,
  });
}
