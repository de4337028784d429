import { cumulative } from './random';
import { NOTE_BODIES } from './textCrm';
import { fill } from './text';
import { DAY } from './time';
import { past, rand, type World } from './world';

/** Free-form notes attached to records of several entity types (entity_type is the catalog key). */
export function generateNotes(w: World): void {
  const r = rand(w, 'notes');
  const { cal, sink, pii } = w;
  const targets: [string, number, number][] = [
    ['accounts', w.accounts.length, 30], ['contacts', w.contacts.length, 15], ['deals', w.facts.dealCount, 20], ['tickets', w.facts.ticketCount, 15],
    ['projects', w.projects.length, 8], ['vendors', w.vendors.length, 6], ['dispatch_jobs', w.facts.dispatchJobCount, 6],
  ];
  const live = targets.filter(([, n]) => n > 0);
  const cum = cumulative(live.map(([, , weight]) => weight));
  const authors = w.users.filter((u) => u.role !== 'viewer');
  const ins = sink.insert('notes', ['id', 'entity_type', 'entity_id', 'body', 'author_id', 'created_at']);
  const span = (cal.now - cal.firstDay * DAY) / DAY;
  for (let id = 1; id <= w.plan.notes; id++) {
    const [type, count] = live[r.weighted(cum)]!;
    const entityId = r.int(1, count);
    const contact = r.pick(w.contacts);
    const account = w.accounts[contact.accountId - 1]!;
    const body = fill(r.pick(NOTE_BODIES[type]!), (k) => (k === 'first' ? contact.first : k === 'account' ? account.name : undefined));
    // Tickets, deals and jobs are numbered in creation order: a note about one comes after it was created.
    const from = type === 'tickets' || type === 'deals' || type === 'dispatch_jobs' ? cal.firstDay * DAY + (entityId / count) * span * DAY : cal.firstDay * DAY;
    const created = Math.floor(from + r.next() * (cal.now - from));
    ins.add(id, type, entityId, pii.maybe(body, contact.first, contact.last), r.pick(authors).id, cal.ts(past(w, r, created)));
  }
}
