import { FREE_MAIL } from './pools';
import type { Rand } from './random';

export const PII_KINDS = ['email', 'phone', 'card', 'ssn', 'uk_ni', 'ip'] as const;
export type PiiKind = (typeof PII_KINDS)[number];

const P2 = (n: number): string => String(n).padStart(2, '0');
const digits = (r: Rand, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += String(r.int(0, 9));
  return s;
};

/** Luhn check digit for a digit string. */
export function luhnCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = body.charCodeAt(body.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function luhnValid(number: string): boolean {
  const d = number.replace(/\D/g, '');
  return d.length >= 12 && luhnCheckDigit(d.slice(0, -1)) === Number(d.at(-1));
}

/** Phone numbers in the formats people actually type (fictional 555 / Ofcom drama ranges). */
export function phoneNumber(r: Rand): string {
  const area = r.pick(['212', '312', '415', '617', '646', '702', '206', '303', '404', '512']);
  const line = `01${digits(r, 2)}`;
  switch (r.int(0, 6)) {
    case 0:
      return `(${area}) 555-${line}`;
    case 1:
      return `${area}-555-${line}`;
    case 2:
      return `+1 ${area} 555 ${line}`;
    case 3:
      return `${area}.555.${line}`;
    case 4:
      return `+44 7700 900${digits(r, 3)}`;
    case 5:
      return `020 7946 0${digits(r, 3)}`;
    default:
      return `+49 30 ${digits(r, 4)} ${digits(r, 4)}`;
  }
}

/** A Luhn-valid card number on a test-card prefix, grouped the way people paste them. */
export function cardNumber(r: Rand): string {
  const kind = r.int(0, 3);
  if (kind === 3) {
    const body = `37${digits(r, 12)}`;
    const n = body + String(luhnCheckDigit(body));
    return `${n.slice(0, 4)} ${n.slice(4, 10)} ${n.slice(10)}`;
  }
  const body = kind === 0 ? `4${digits(r, 14)}` : kind === 1 ? `5${r.int(1, 5)}${digits(r, 13)}` : `6011${digits(r, 11)}`;
  const n = body + String(luhnCheckDigit(body));
  const sep = r.pick([' ', '-', '']);
  return `${n.slice(0, 4)}${sep}${n.slice(4, 8)}${sep}${n.slice(8, 12)}${sep}${n.slice(12)}`;
}

/** US social security number in the 123-45-6789 style (never area 000, 666 or 9xx). */
export function ssn(r: Rand): string {
  let area = r.int(1, 899);
  if (area === 666) area = 667;
  return `${String(area).padStart(3, '0')}-${P2(r.int(1, 99))}-${String(r.int(1, 9999)).padStart(4, '0')}`;
}

const NI_FIRST = 'ABCEGHJKLMNOPRSTWXYZ';
const NI_SECOND = 'ABCEGHJKLMNPRSTWXYZ';
/** UK National Insurance number, e.g. 'QQ 12 34 56 C' or 'JK123456B'. */
export function ukNi(r: Rand): string {
  let prefix = NI_FIRST[r.int(0, NI_FIRST.length - 1)]! + NI_SECOND[r.int(0, NI_SECOND.length - 1)]!;
  if (['BG', 'GB', 'NK', 'KN', 'TN', 'NT', 'ZZ'].includes(prefix)) prefix = 'AB';
  const d = digits(r, 6);
  const suffix = 'ABCD'[r.int(0, 3)]!;
  return r.chance(0.5) ? `${prefix} ${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4)} ${suffix}` : `${prefix}${d}${suffix}`;
}

export function ipAddress(r: Rand): string {
  switch (r.int(0, 3)) {
    case 0:
      return `203.0.113.${r.int(1, 254)}`;
    case 1:
      return `198.51.100.${r.int(1, 254)}`;
    case 2:
      return `10.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
    default:
      return `${r.int(11, 223)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
  }
}

export function personalEmail(r: Rand, first: string, last: string): string {
  const f = first.toLowerCase().replace(/[^a-z]/g, '');
  const l = last.toLowerCase().replace(/[^a-z]/g, '');
  const local = r.pick([`${f}.${l}`, `${f}${l}`, `${f[0]}${l}`, `${f}_${l}${r.int(1, 99)}`, `${l}.${f}`]);
  return `${local}@${r.pick(FREE_MAIL)}`;
}

const SENTENCES: Record<PiiKind, readonly string[]> = {
  email: ['You can reach me at {v}.', 'Please reply to my personal address {v} instead.', 'CC {v} on any updates.', 'My login email is {v}.'],
  phone: ['Call me on {v} if that is easier.', 'My direct line is {v}.', 'Best number to reach me: {v}.', 'Text {v} when the technician is close.'],
  card: ['Please charge the card {v}, expiry 09/27.', 'The card we used was {v}.', 'Card number {v} - can you check why it was declined?'],
  ssn: ['For the contractor tax form my SSN is {v}.', 'Verification details: SSN {v}.', 'They asked for my social security number, it is {v}.'],
  uk_ni: ['My National Insurance number is {v}.', 'NI number for the payroll record: {v}.', 'For the employee record, NI {v}.'],
  ip: ['Our office IP is {v}, please allow-list it.', 'The requests come from {v}.', 'Blocked login attempts from {v}.', 'Our gateway address is {v}.'],
};

/**
 * Adds personal data to a share of free-text bodies, for the redaction features to find. The kind rotates through
 * every PII type in a shuffled order, so each appears even in small workspaces; counts are kept for the ground truth.
 */
export class PiiInjector {
  readonly counts: Record<PiiKind, number> = { email: 0, phone: 0, card: 0, ssn: 0, uk_ni: 0, ip: 0 };
  private order: PiiKind[];
  private next = 0;

  constructor(
    private readonly r: Rand,
    private readonly rate = 0.07,
  ) {
    this.order = r.shuffle([...PII_KINDS]);
  }

  /** With probability `rate`, returns the text with one PII sentence added; otherwise the text unchanged. */
  maybe(text: string, first = 'Sam', last = 'Taylor'): string {
    if (!this.r.chance(this.rate)) return text;
    return `${text} ${this.sentence(first, last)}`;
  }

  /** A PII sentence of the next kind in rotation. */
  sentence(first = 'Sam', last = 'Taylor'): string {
    const kind = this.order[this.next++ % this.order.length]!;
    if (this.next % this.order.length === 0) this.order = this.r.shuffle(this.order);
    this.counts[kind]++;
    const r = this.r;
    const v = kind === 'email' ? personalEmail(r, first, last) : kind === 'phone' ? phoneNumber(r) : kind === 'card' ? cardNumber(r) : kind === 'ssn' ? ssn(r) : kind === 'uk_ni' ? ukNi(r) : ipAddress(r);
    return r.pick(SENTENCES[kind]).replace('{v}', v);
  }
}
