/** Wording for CRM records: deal names, activities, tasks and notes. */

export const DEAL_KINDS = [
  'New platform subscription', 'Sensor rollout - phase 1', 'Sensor rollout - phase 2', 'Expansion: additional sites',
  'Cold-chain monitoring pilot', 'Enterprise upgrade', 'Multi-year renewal + upsell', 'Insights add-on',
  'API and integrations package', 'Fleet monitoring pilot', 'Predictive maintenance module', 'Seat expansion',
] as const;

export const ACTIVITY_SUBJECTS = {
  call: ['Discovery call with {first}', 'Pricing discussion', 'Check-in call', 'Call re: security review', 'Intro call - {account}', 'Follow-up call on proposal', 'Call with {first} about budget timing'],
  email: ['Sent proposal to {first}', 'Follow-up: pricing options', 'Shared case study', 'Email re: contract redlines', 'Sent security questionnaire answers', 'Recap of yesterday\'s meeting', 'Re: pilot success criteria'],
  meeting: ['Product demo for {account}', 'Quarterly business review', 'On-site workshop', 'Technical deep dive with IT', 'Executive alignment meeting', 'Pilot kickoff'],
  note: ['Deal notes', 'Competitive intel', 'Stakeholder map update', 'Internal sync notes', 'Procurement update'],
} as const;

export const ACTIVITY_BODIES = {
  positive: [
    '{first} was very engaged and wants a proposal by {weekday}. Budget is approved for this quarter.',
    'Demo went well; operations team loved the alerting and the maps view. Next step: pilot at {city}.',
    '{first} confirmed we are the preferred vendor. Legal review starts next week.',
    'Strong interest in the predictive maintenance module. They asked for references in {industry}.',
    'QBR was positive: usage up across sites and they are considering {n} more sites next year.',
  ],
  neutral: [
    'Walked through pricing tiers. {first} will take it to their finance team and come back by {weekday}.',
    'Discussed integration with their {integration} instance; IT needs to review the API docs.',
    'They are comparing us with two other vendors. Decision expected end of month.',
    'Sent over the security questionnaire answers and our SOC 2 report.',
    'Agreed on pilot scope: {n} sensors at one site for 30 days.',
    'Procurement asked for updated payment terms (net 60).',
  ],
  negative: [
    '{first} says budget was frozen until next quarter. Deal likely to slip.',
    'They went quiet after the pricing call. Two follow-ups without reply.',
    'Competitor came in 25% cheaper; {first} is under pressure to switch.',
    'Pilot results were mixed - connectivity issues at {city} hurt the evaluation.',
    'New CFO is reviewing all vendor contracts; everything is on hold.',
    'Lost: they chose a cheaper competitor. Price was the main reason given.',
  ],
} as const;

export const TASK_TITLES = [
  'Send proposal to {account}', 'Follow up with {first} on pricing', 'Prepare QBR deck for {account}',
  'Book demo with {first}', 'Chase signed contract from {account}', 'Send security documentation to {first}',
  'Confirm pilot success criteria with {first}', 'Update forecast notes for {account}', 'Schedule renewal call with {first}',
  'Introduce {first} to solutions engineer', 'Send case study to {first}', 'Review contract redlines for {account}',
] as const;

export const TASK_DESCRIPTIONS = [
  'Promised on the last call; {first} needs it before their internal review.',
  'Include the multi-site discount we discussed.',
  'They asked for references in {industry}.',
  'Check whether procurement needs a new vendor form.',
  '',
  '',
] as const;

export const NOTE_BODIES: Record<string, readonly string[]> = {
  accounts: [
    'Key stakeholders: {first} (ops) and the IT director. Prefers email over calls.',
    'Account is expanding into two new warehouses next year - potential upsell.',
    'They had a rough onboarding; keep an eye on satisfaction.',
    'Payment usually 15 days late; finance is aware.',
    'Met {first} at the logistics expo. Very interested in cold-chain monitoring.',
  ],
  contacts: [
    'Decision maker for anything over $20k.', 'Champion - pushed for us internally.', 'Prefers calls before 10am.',
    'Moved from {account} competitor last year; knows the space well.', 'On parental leave until next month.',
  ],
  deals: [
    'Pricing approved by sales manager at 12% discount.', 'Legal redlines mostly on liability cap.',
    'Competitor in the deal; we lead on integrations.', 'Waiting for budget sign-off from the CFO.',
  ],
  tickets: [
    'Customer called to chase; promised an update by end of day.', 'Same root cause as last month\'s sync issue.',
    'Offered a service credit for the downtime.', 'Customer prefers phone updates.',
  ],
  projects: [
    'Steering committee agreed to move the go-live by two weeks.', 'Site access requires a 48h security clearance.',
    'Customer IT is slow to open firewall ports; risk to timeline.', 'Budget contingency is nearly used up.',
  ],
  vendors: [
    'Quarterly review scheduled; raise the late deliveries.', 'New account manager since last month.',
    'Offered 5% discount for a two-year commitment.', 'Quality audit passed with minor findings.',
  ],
  dispatch_jobs: [
    'Gate code changed; ask the site manager on arrival.', 'Customer asked for the technician to call 30 minutes before arriving.',
    'Bring a ladder - sensors are mounted above 4m.', 'Previous visit could not finish: power was off in the cold store.',
  ],
};

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'] as const;
