import type { Rand } from './random';

/** Replaces {slot} markers using `slot(name)`; unknown names are left as they are. */
export function fill(template: string, slot: (name: string) => string | undefined): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) => slot(name) ?? m);
}

export type Tone = 'polite' | 'neutral' | 'frustrated';

const OPENERS: Record<Tone, readonly string[]> = {
  polite: ['Hi team,', 'Hello,', 'Good morning,', 'Hi there,', 'Hope you are well.'],
  neutral: ['', '', 'Hi,', 'Hello support,'],
  frustrated: [
    'This is the second time I am reporting this.',
    'We need this fixed urgently.',
    'Honestly, this is getting frustrating.',
    'I have been waiting far too long on this.',
    'Not happy about this at all.',
  ],
};

const CLOSERS: Record<Tone, readonly string[]> = {
  polite: ['Thanks in advance!', 'Appreciate your help.', 'Many thanks.', 'Thank you for looking into it.', 'Cheers.'],
  neutral: ['', 'Please advise.', 'Let me know what you need from us.', 'Thanks.'],
  frustrated: [
    'Please escalate this.',
    'This is blocking our whole team.',
    'If this is not resolved today we will have to look at alternatives.',
    'I expect a call back today.',
    'We pay for premium support and this is not it.',
  ],
};

/** Wraps a body in an opener and closer for the tone. */
export function toned(r: Rand, tone: Tone, body: string): string {
  const open = r.pick(OPENERS[tone]);
  const close = r.pick(CLOSERS[tone]);
  return `${open ? `${open} ` : ''}${body}${close ? ` ${close}` : ''}`;
}

/** Money formatted like people write it: $12,400 or $980.50. */
export function money(x: number): string {
  const totalCents = Math.round(x * 100);
  const whole = Math.floor(totalCents / 100);
  const cents = totalCents % 100;
  const grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return cents ? `$${grouped}.${String(cents).padStart(2, '0')}` : `$${grouped}`;
}
