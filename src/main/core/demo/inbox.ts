import { phoneNumber } from './pii';
import { CARRIERS, COMPANY, WEEKDAYS_SHORT } from './pools';
import { weightedPicker } from './random';
import { fill } from './text';
import { DAY, MINUTE } from './time';
import { contactOf, rand, type World } from './world';

/** A conversation thread: customer opener, agent reply, customer follow-up, agent close. */
type Thread = readonly [string, string, string, string];

interface Topic {
  subject: readonly string[];
  threads: readonly Thread[];
}

const TOPICS: readonly Topic[] = [
  {
    subject: ['Pricing for {n} sites', 'Quote request', 'Question about enterprise pricing'],
    threads: [
      ['Hi, we are looking at monitoring {n} sites. Could you send pricing for the platform plus sensors?', 'Happy to help, {first}! For {n} sites I would suggest the Growth plan; I will send a quote today.', 'Great, thanks. Can you include installation?', 'Quote sent - it includes installation and a 10% multi-year discount.'],
      ['What would it cost to add the Insights module for our team?', 'Thanks {first}. Insights is priced per site; roughly how many sites would use it?', 'About {n}. Is there a multi-year discount?', 'Yes - I have sent a quote with both one-year and three-year pricing.'],
      ['Your quote is more than we budgeted. Any flexibility?', 'I understand, {first}. Let me loop in our account executive to look at options.', 'Thanks, we need an answer before our board meeting on {day}.', 'Our account executive will call you tomorrow morning with a revised offer.'],
    ],
  },
  {
    subject: ['Where is my delivery?', 'Order status', 'Delivery ETA for sensor kit'],
    threads: [
      ['Hi, our sensor kit was supposed to arrive {day}. Any news?', 'Let me check, {first}. It left our warehouse yesterday with {carrier}.', 'OK, can you send the tracking number?', 'Tracking number sent by email. Expected delivery is {day}.'],
      ['Can you tell me when order SO-{order} will ship?', 'Sorry for the delay! The order ships tomorrow morning.', 'We really need it before {day}, our installer is booked.', 'I have upgraded the shipment to express at no cost, so it will arrive in time.'],
    ],
  },
  {
    subject: ['Reschedule technician visit', 'Installation appointment', 'Can the technician come earlier?'],
    threads: [
      ['Hi, can we move the technician visit to {day}? Our site manager is away.', 'No problem, {first}. I can offer {day} between 8 and 12 - does that work?', 'That works. Please ask them to call on arrival.', 'Booked! You will get a confirmation text the day before.'],
      ['Is it possible to get the installation done in the morning?', 'Let me check the schedule and get back to you within the hour.', 'Could it be before 10am? The loading bay gets busy after that.', 'Done - the technician will arrive at 8:30 and call 30 minutes before.'],
    ],
  },
  {
    subject: ['Invoice question', 'Copy of last invoice', 'Payment terms'],
    threads: [
      ["Could you resend last month's invoice? Our AP team cannot find it.", 'Of course, {first}, sending it now.', 'Got it, thanks!', 'Glad to help - have a great day!'],
      ['Can we move to net 45 payment terms?', 'I will check with our finance team about the terms.', 'Any update on the payment terms?', 'Finance approved net 45 from the next invoice.'],
    ],
  },
  {
    subject: ['Demo request', 'Would like to see the platform', 'Product walkthrough'],
    threads: [
      ['We saw your webinar and would like a demo for our operations team.', 'Great to hear, {first}! How about {day} at 3pm?', 'That works. I will bring our IT lead.', 'Invite sent. Looking forward to it!'],
      ['Can we get a walkthrough of the alerting features this week?', 'Sure! I have sent you a few time slots.', 'Can we do a bit later in the day?', 'Rescheduled for 4pm - see you then.'],
    ],
  },
  {
    subject: ['Very unhappy with the service', 'Complaint about repeated outages', 'Escalation'],
    threads: [
      ['This is the third outage this month. Our cold store alerts did not fire and we lost stock.', 'I am really sorry, {first}. I have escalated this to our support manager and will call you today.', 'We need a written incident report.', 'The incident report is attached and a service credit has been applied to your next invoice.'],
      ['I am extremely disappointed - nobody called us back yesterday.', 'That should not have happened, {first}. Let me look into it right away.', 'Still waiting for that call.', 'Our support manager will call you at 2pm today.'],
    ],
  },
  {
    subject: ['Locked out', 'Password reset not working', 'Cannot sign in to the app'],
    threads: [
      ['I cannot log in to {product}, the reset link says expired.', 'Sorry about that, {first}. I have sent a fresh reset link valid for 24 hours.', 'That worked, thanks!', 'Glad you are back in!'],
      ['Locked out of my account after changing phones - 2FA issue.', 'I have reset your 2FA; you can enrol your new phone at next login.', 'Still not working, same error.', 'I have escalated to our identity team; we will update you shortly.'],
    ],
  },
];

const MORE_IN = ['Thanks!', 'Great, appreciate it.', 'One more thing - can you copy my colleague on this?', 'Perfect.'] as const;
const MORE_OUT = ['Anytime!', 'Done - anything else I can help with?', 'You are welcome, have a great day.'] as const;

const CHANNEL = weightedPicker([['email', 35], ['chat', 30], ['sms', 12], ['whatsapp', 13], ['social', 10]] as const);

/** Inbox conversations across channels with realistic back-and-forth messages. */
export function generateConversations(w: World): void {
  const r = rand(w, 'inbox');
  const { cal, sink, pii, plan } = w;
  const conv = sink.insert('conversations', ['id', 'channel', 'subject', 'contact_id', 'account_id', 'agent_id', 'status', 'created_at', 'last_message_at']);
  const msgs = sink.insert('messages', ['id', 'conversation_id', 'direction', 'sender', 'body', 'sent_at']);
  const cur = { first: '' };
  // Slot values hold for a whole conversation, so both sides talk about the same day and order.
  const memo = new Map<string, string>();
  const draw = (k: string): string | undefined =>
    k === 'n' ? String(r.int(2, 25)) : k === 'day' ? r.pick(WEEKDAYS_SHORT) : k === 'order' ? String(r.int(100000, 999999)) : k === 'carrier' ? r.pick(CARRIERS) : k === 'product' ? r.pick(COMPANY.products) : undefined;
  const slot = (k: string): string | undefined => {
    if (k === 'first') return cur.first;
    let v = memo.get(k);
    if (v === undefined && (v = draw(k)) !== undefined) memo.set(k, v);
    return v;
  };
  const span = (cal.now - cal.firstDay * DAY) / DAY;
  const veterans = w.agents.filter((a) => a.hireDay < cal.firstDay);
  let mid = 0;
  for (let id = 1; id <= plan.conversations; id++) {
    const topic = r.pick(TOPICS);
    const thread = r.pick(topic.threads);
    const channel = CHANNEL(r);
    const account = r.chance(0.8) ? r.pick(w.customers) : r.pick(w.accounts);
    const contact = contactOf(w, r, account);
    let agent = r.pick(w.agents);
    const created = cal.firstDay * DAY + Math.floor(r.next() * span * DAY * 0.999);
    if (agent.hireDay > Math.floor(created / DAY)) agent = r.pick(veterans);
    cur.first = contact?.first ?? 'there';
    memo.clear();
    const customerSender = channel === 'sms' || channel === 'whatsapp' ? (contact?.phone ?? phoneNumber(r)) : contact ? `${contact.first} ${contact.last}` : 'Website visitor';
    const gap = channel === 'chat' ? [1, 12] : channel === 'email' ? [30, 1200] : [5, 240];
    const n = r.int(2, 6);
    let t = created;
    let lastSent = created;
    for (let k = 0; k < n; k++) {
      if (k > 0) t += r.int(gap[0]!, gap[1]!) * MINUTE;
      if (t >= cal.now) break;
      const inbound = k % 2 === 0;
      let body = fill(k < 4 ? thread[k]! : r.pick(inbound ? MORE_IN : MORE_OUT), slot);
      if (inbound) body = pii.maybe(body, contact?.first, contact?.last);
      msgs.add(++mid, id, inbound ? 'inbound' : 'outbound', inbound ? customerSender : agent.name, body, cal.ts(t));
      lastSent = t;
    }
    const recent = cal.now - lastSent < 3 * DAY;
    const x = r.next();
    const status = recent ? (x < 0.6 ? 'open' : x < 0.75 ? 'snoozed' : 'closed') : x < 0.9 ? 'closed' : x < 0.95 ? 'snoozed' : 'open';
    conv.add(id, channel, fill(r.pick(topic.subject), slot), contact?.id ?? null, account.id, agent.id, status, cal.ts(created), cal.ts(lastSent));
  }
}
