/**
 * Support ticket wording by category: subjects, customer descriptions, agent replies, customer follow-ups and
 * internal notes. Slots in braces are filled per ticket (see support.ts).
 */
export const TICKET_CATEGORIES = ['login', 'billing', 'bug', 'performance', 'feature_request', 'shipping', 'integrations', 'account'] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];

export const CATEGORY_WEIGHTS: Record<TicketCategory, number> = {
  login: 13, billing: 15, bug: 18, performance: 10, feature_request: 9, shipping: 13, integrations: 11, account: 11,
};

/** Priority weights [low, normal, high, urgent] per category. */
export const PRIORITY_WEIGHTS: Record<TicketCategory, readonly number[]> = {
  login: [10, 50, 30, 10], billing: [25, 55, 15, 5], bug: [15, 50, 28, 7], performance: [10, 50, 30, 10],
  feature_request: [60, 38, 2, 0], shipping: [20, 55, 20, 5], integrations: [10, 50, 30, 10], account: [40, 50, 10, 0],
};

/** Subject and customer description pairs per category. */
export const TICKET_TEXT: Record<TicketCategory, readonly (readonly [string, string])[]> = {
  login: [
    ['Cannot log in to the dashboard', 'Since {when} none of us can sign in. The login page shows "Invalid session" right after entering credentials.'],
    ['Password reset email never arrives', 'I requested a password reset {n} times and no email has arrived. I checked spam as well.'],
    ['SSO login fails with error {code}', 'Our SSO through {idp} returns error {code} on sign-in. This started {when} and affects {n} users.'],
    ['Account locked after failed attempts', 'My account got locked after I mistyped my password. Could you unlock it? I need to approve work orders today.'],
    ['2FA code not accepted', 'The 2FA code from my authenticator app is rejected every time, even right after it refreshes.'],
    ['Login page keeps redirecting back to sign-in', 'After logging in on {browser} the page bounces straight back to the sign-in screen.'],
    ['New users cannot activate their accounts', 'We invited {n} new operators {when} and the activation links all say "expired".'],
    ['Session expires every few minutes', 'I get logged out every five minutes or so on {browser}, which makes the dashboard unusable on our control-room screen.'],
  ],
  billing: [
    ['Charged twice for invoice {invoice}', 'Our card was charged twice for invoice {invoice} ({amount}). Please refund the duplicate payment.'],
    ['Need a copy of invoice {invoice}', 'Could you send a PDF copy of invoice {invoice}? Our finance team needs it for month end.'],
    ['Question about pro-rated charges', 'We added {n} seats mid-cycle and the pro-rated charge of {amount} looks higher than expected. Can you explain the calculation?'],
    ['Please update our VAT number', 'Our VAT number changed after the restructuring. Please update it before the next invoice.'],
    ['Refund request for unused seats', 'We reduced headcount and have {n} unused seats. Can we get a refund or credit for them?'],
    ['Card declined on renewal', 'The renewal payment of {amount} was declined. We have updated the card, please retry the charge.'],
    ['Invoice shows the wrong company address', 'Invoice {invoice} still shows our old head office address. Please correct it and reissue.'],
    ['Switch from monthly to annual billing', 'We would like to move to annual billing from the next cycle. What discount applies?'],
  ],
  bug: [
    ['CSV export produces an empty file', 'When I export the alerts table to CSV the file downloads but is empty. Tried on {browser} and got the same result.'],
    ['Dashboard widget shows wrong totals', 'The "open work orders" widget says {n}, but the list underneath shows a different number.'],
    ['Error 500 when saving {feature}', 'Saving changes to {feature} fails with "Error 500 - something went wrong". Nothing is saved.'],
    ['Sensor readings missing for {site}', 'Readings from all sensors at {site} stopped appearing {when}. The gateway shows as online.'],
    ['Mobile app crashes on startup', 'The mobile app crashes immediately on launch since the last update. Reinstalling did not help.'],
    ['Scheduled report uses the wrong time zone', 'Scheduled reports arrive with timestamps in UTC instead of our local time zone.'],
    ['Alert rule fires twice for the same event', 'Every temperature alert from {site} arrives twice, one minute apart. Our on-call team is getting double pages.'],
    ['Map view does not load sensor pins', 'The maps view stays empty on {browser}; the list view shows all {n} sites fine.'],
  ],
  performance: [
    ['Dashboard very slow to load', 'The main dashboard takes over a minute to load {when}. It used to load in a few seconds.'],
    ['Reports time out after 30 seconds', 'Any report covering more than a month times out after 30 seconds.'],
    ['API responses taking several seconds', 'API calls to the readings endpoint take {n} seconds on average, which breaks our nightly sync.'],
    ['Sensor data arriving hours late', 'Sensor data is arriving two to three hours late, so our alerts are useless for cold-chain monitoring.'],
    ['Search is extremely slow', 'Searching work orders is extremely slow, sometimes 20+ seconds per query.'],
    ['Mobile app sluggish on older phones', 'The app takes {n} seconds to open a site on our older Android handsets.'],
  ],
  feature_request: [
    ['Request: bulk edit for {feature}', 'It would save us hours if we could bulk edit {feature} instead of changing them one at a time.'],
    ['Feature request: dark mode', 'Our night shift would love a dark mode for the dashboard.'],
    ['Add Teams notifications for alerts', 'Could alerts be posted to a Microsoft Teams channel? We do not use email for on-call.'],
    ['Export dashboards to PDF', 'We need to share dashboards with auditors. A PDF export would be ideal.'],
    ['Allow custom fields on work orders', 'We would like to add our own fields (cost centre, asset tag) to work orders.'],
    ['Request: per-site user permissions', 'Site managers should only see their own sites. Is per-site access control on the roadmap?'],
  ],
  shipping: [
    ['Sensor kit not delivered yet (order {order})', 'Order {order} was due {when} and tracking with {carrier} has not moved for four days.'],
    ['Package arrived damaged', 'The sensor kit arrived with a crushed box and two sensors have cracked casings. Photos attached.'],
    ['Wrong items in shipment {order}', 'Shipment {order} contained door sensors instead of the temperature probes we ordered.'],
    ['Tracking number does not work', 'The tracking number you sent for {order} is not recognised on the {carrier} site.'],
    ['Need to change the delivery address for {order}', 'Please ship {order} to our new site at {site} instead of head office.'],
    ['Missing mounting brackets in delivery', 'Order {order} arrived without the mounting brackets, so the installer could not finish.'],
  ],
  integrations: [
    ['{integration} sync failing', 'The {integration} sync has failed every run {when} with "401 Unauthorized".'],
    ['Webhook not firing for new alerts', 'Webhooks for new alerts stopped firing. Our endpoint is up and returns 200 for test events.'],
    ['API key rotated and integration broke', 'We rotated our API key and now the {integration} integration returns errors even with the new key.'],
    ['Duplicate records created by {integration} sync', 'The {integration} connector is creating duplicate accounts on every sync.'],
    ['Need help with SAML metadata update', 'Our identity team updated the SAML certificate and we need to upload the new metadata.'],
    ['Rate limit errors from the API', 'Our nightly job gets HTTP 429 after about {n} thousand requests. What are the limits?'],
  ],
  account: [
    ['Add {n} users to our account', 'Please add {n} new users for our operations team. Their details are in the attached sheet.'],
    ['Transfer account ownership to a new admin', 'Our previous admin has left the company. Please transfer ownership of the account to me.'],
    ['Please close our sub-account', 'We no longer need the sub-account for {site}, please close it.'],
    ['Change company name on the account', 'We have rebranded; please change the company name on the account and on future invoices.'],
    ['GDPR data export request', 'Under GDPR we request an export of all personal data you hold for our organisation.'],
    ['Remove a former employee from our workspace', 'One of our supervisors left last week; please remove their access and reassign their alerts.'],
  ],
};

/** Wording for the login outage that causes the planted ticket spike. */
export const OUTAGE_TEXT: readonly (readonly [string, string])[] = [
  ['URGENT: nobody can log in', 'Nobody on our team can log in. The SSO redirect ends with error 502. Is there an outage?'],
  ['SSO login failing for all users', 'Getting "upstream connect error" when signing in through {idp}. Our operators are locked out.'],
  ['Login page returns error 502', 'The login page returns 502 Bad Gateway for everyone in our office.'],
  ['Cannot access the platform - login broken', 'Login has been failing for all of our users for the last hour. We cannot see any alerts, which is a safety issue.'],
  ['Whole team locked out since this morning', 'None of our {n} operators can sign in since this morning. Please tell us what is going on.'],
  ['Sign-in down?', 'Is the platform down? Sign-in spins forever and then times out.'],
];

export const AGENT_FIRST_REPLIES = [
  'Hi {first}, thanks for reaching out. I am looking into this now and will update you shortly. - {agent}',
  'Hello {first}, sorry for the trouble. Could you confirm which users are affected and send a screenshot of the error? - {agent}',
  'Hi {first}, thanks for the details. I have reproduced the issue and passed it to our engineers. - {agent}',
  'Hi {first}, I have picked this up. Can you tell me roughly when it started? - {agent}',
];

export const AGENT_REPLIES: Record<TicketCategory, readonly string[]> = {
  login: ['I have reset your MFA enrolment; please sign in again and set it up fresh.', 'Your account is unlocked now. For security we have also expired your active sessions.', 'We found an issue with the SSO configuration for your domain and have corrected it.'],
  billing: ['I have refunded the duplicate charge; it should show on your statement within 5-7 working days.', 'I have attached the invoice PDF to this ticket.', 'Your billing details are updated and the next invoice will reflect the change.'],
  bug: ['Our engineers shipped a fix this morning; could you check whether it works for you now?', 'This is a known issue and a fix is scheduled for the next release.', 'I have applied a workaround on your account while the fix is rolled out.'],
  performance: ['We have moved your workspace to a less loaded cluster; load times should be back to normal.', 'We identified a slow database query and deployed an index; please try again.'],
  feature_request: ['Thanks for the suggestion! I have logged it with our product team and added your vote.', 'Good news: this is on our roadmap for next quarter.'],
  shipping: ['I have arranged a replacement shipment by express courier at no cost.', 'The carrier confirmed the parcel is at the local depot and will be delivered tomorrow.', 'I have updated the delivery address for the order.'],
  integrations: ['The connector needed re-authorising after the key change; I have sent you the steps.', 'We fixed the de-duplication rule on our side and cleaned up the duplicate records.'],
  account: ['Done - the users have been added and invitations sent.', 'Ownership has been transferred; you should now see the admin settings.', 'Your data export is ready and will be sent via a secure link.'],
};

export const CUSTOMER_FOLLOWUPS = {
  positive: ['Thanks, that worked!', 'Great, all sorted on our side. Appreciate the quick help.', 'Confirmed, it is working again. Thank you!', 'Perfect, thanks {agent}.'],
  negative: ['Still seeing the same problem, unfortunately.', 'Any update on this? It has been two days.', 'That did not fix it. This is really frustrating.', 'We are still blocked. Please escalate.'],
  neutral: ['Attached a screenshot of the error.', 'It affects about {n} users.', 'We are on {browser} if that helps.', 'Happy to jump on a call if easier.'],
} as const;

export const INTERNAL_NOTES = [
  'Escalated to Tier 2 - reproducible on {browser}.', 'Customer is on the {tier} plan; renewal coming up, handle with care.',
  'Linked to incident INC-{n}{n}. Engineering aware.', 'Checked logs: {n} failed requests in the last hour.',
  'Waiting on engineering for root cause.', 'Same issue reported by two other accounts this week.',
];

export const RESOLUTIONS = [
  'Glad we could sort this out, {first}. I am marking the ticket as solved; just reply if anything comes back.',
  'Closing this one as resolved. Thanks for your patience, {first}!',
  'The fix is confirmed on our side. Solving the ticket - reply to reopen it.',
];
