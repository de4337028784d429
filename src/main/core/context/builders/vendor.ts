import type { ContextBuilder, ContextSection } from '../types';
import { all, clip, ids, kv, money, one, pct, ref } from '../sql';

type Row = Record<string, unknown>;

/** A vendor with its purchase orders, on-time delivery overall and by month, and quality incidents. */
export const vendorContext: ContextBuilder = {
  key: 'vendor',
  entityType: 'vendors',
  candidates: (db, limit) => ids(db, "SELECT id FROM vendors WHERE status IN ('active', 'probation') ORDER BY status = 'probation' DESC, id LIMIT ?", limit),
  sections(db, id) {
    const v = one<Row>(db, 'SELECT id, name, category, status, rating, contract_end, created_at FROM vendors WHERE id = ?', id);
    if (!v) return null;
    const po = one<Row>(db, "SELECT count(*) AS n, sum(amount) AS total, sum(status IN ('open', 'partially_delivered')) AS open FROM purchase_orders WHERE vendor_id = ?", id) ?? {};
    const del = one<Row>(
      db,
      'SELECT count(*) AS n, sum(d.on_time = 1) AS on_time FROM deliveries d JOIN purchase_orders p ON p.id = d.purchase_order_id WHERE p.vendor_id = ?',
      id,
    ) ?? {};
    const sections: ContextSection[] = [
      {
        title: `Vendor ${ref('vendors', v.id)} ${String(v.name)}`,
        priority: 0,
        keep: 'head',
        lines: [
          kv({ category: v.category, status: v.status, rating: v.rating, contract_end: v.contract_end, since: v.created_at }),
          `purchase orders: ${kv({ count: po.n, open: po.open, total: money(po.total) })}`,
          `deliveries: ${kv({ count: del.n, on_time: del.on_time, on_time_rate: pct(del.on_time as number, del.n as number) })}`,
        ],
      },
    ];
    const monthly = all<Row>(
      db,
      `SELECT strftime('%Y-%m', d.delivered_at) AS month, count(*) AS n, sum(d.on_time = 1) AS on_time FROM deliveries d
       JOIN purchase_orders p ON p.id = d.purchase_order_id WHERE p.vendor_id = ? GROUP BY month ORDER BY month DESC LIMIT 12`,
      id,
    ).reverse();
    if (monthly.length) {
      sections.push({ title: 'On-time delivery by month (oldest first)', priority: 1, keep: 'tail', lines: monthly.map((m) => `${String(m.month)}: ${String(m.on_time)}/${String(m.n)} on time (${pct(m.on_time as number, m.n as number) ?? '–'})`) });
    }
    const incidents = all<Row>(db, 'SELECT id, purchase_order_id, severity, description, occurred_at, resolved_at FROM vendor_quality_incidents WHERE vendor_id = ? ORDER BY occurred_at DESC, id DESC LIMIT 15', id);
    const bySeverity = all<Row>(db, 'SELECT severity, count(*) AS n FROM vendor_quality_incidents WHERE vendor_id = ? GROUP BY severity ORDER BY severity', id);
    if (incidents.length) {
      sections.push({
        title: `Quality incidents (${bySeverity.map((s) => `${String(s.severity)}: ${String(s.n)}`).join(', ')}; newest first)`,
        priority: 1,
        keep: 'head',
        lines: incidents.map((i) => `${ref('vendor_quality_incidents', i.id)} ${String(i.occurred_at)} · ${kv({ severity: i.severity, resolved: i.resolved_at ?? 'no', po: i.purchase_order_id ? `purchase_orders#${String(i.purchase_order_id)}` : null })} · ${clip(i.description, 300)}`),
      });
    }
    const late = all<Row>(
      db,
      `SELECT d.id, d.delivered_at, p.id AS po_id, p.code, p.expected_at, d.notes FROM deliveries d JOIN purchase_orders p ON p.id = d.purchase_order_id
       WHERE p.vendor_id = ? AND d.on_time = 0 ORDER BY d.delivered_at DESC, d.id DESC LIMIT 10`,
      id,
    );
    if (late.length) {
      sections.push({
        title: 'Late deliveries (newest first)',
        priority: 2,
        keep: 'head',
        lines: late.map((d) => `${ref('deliveries', d.id)} ${String(d.delivered_at)} for ${ref('purchase_orders', d.po_id)} ${String(d.code)} (expected ${String(d.expected_at ?? '?')})${d.notes ? ` · ${clip(d.notes, 200)}` : ''}`),
      });
    }
    const orders = all<Row>(db, 'SELECT id, code, amount, ordered_at, expected_at, status, description FROM purchase_orders WHERE vendor_id = ? ORDER BY ordered_at DESC, id DESC LIMIT 15', id);
    if (orders.length) {
      sections.push({
        title: 'Recent purchase orders (newest first)',
        priority: 3,
        keep: 'head',
        lines: orders.map((o) => `${ref('purchase_orders', o.id)} ${String(o.code)} · ${kv({ amount: money(o.amount), ordered: o.ordered_at, expected: o.expected_at, status: o.status })}${o.description ? ` · ${clip(o.description, 160)}` : ''}`),
      });
    }
    return { title: String(v.name), sections };
  },
};
