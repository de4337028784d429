import { describe, expect, it } from 'vitest';
import { DEFAULT_REDACTION, redactPii, type RedactionSettings } from '../../../../src/main/core/context/redact';

describe('PII redaction', () => {
  it.each([
    ['email', 'Write to jane.doe+billing@example.co.uk today', 'Write to [EMAIL_1] today'],
    ['card with spaces', 'card 4111 1111 1111 1111 was charged', 'card [CARD_1] was charged'],
    ['card with dashes', 'Mastercard 5555-5555-5555-4444.', 'Mastercard [CARD_1].'],
    ['US SSN', 'SSN 123-45-6789 on file', 'SSN [NATIONAL_ID_1] on file'],
    ['UK NI number', 'NI AB 12 34 56 C please', 'NI [NATIONAL_ID_1] please'],
    ['labelled passport number', 'passport number X1234567 expired', 'passport number [NATIONAL_ID_1] expired'],
    ['IPv4', 'blocked 203.0.113.42 at the edge', 'blocked [IP_1] at the edge'],
    ['IPv6 compressed', 'from 2001:db8::8a2e:370:7334 only', 'from [IP_1] only'],
    ['IPv6 full', 'host 2001:0db8:85a3:0000:0000:8a2e:0370:7334 down', 'host [IP_1] down'],
    ['US phone, parentheses', 'call (555) 201-3344 now', 'call [PHONE_1] now'],
    ['US phone, dots and extension', 'call 555.201.3344 x12 now', 'call [PHONE_1] now'],
    ['international phone', 'ring +44 20 7946 0958 or', 'ring [PHONE_1] or'],
    ['national phone with trunk 0', 'ring 020 7946 0958 today', 'ring [PHONE_1] today'],
  ])('redacts %s', (_kind, input, expected) => {
    expect(redactPii(input).text).toBe(expected);
  });

  it.each([
    ['ISO times', 'created 2026-01-31T09:30:00Z, due 2026-02-01'],
    ['codes and tags', 'TCK-000123 [tickets#12] PO-1001 DSP-0002'],
    ['amounts and counts', 'ARR $250,000 · 1234567 sessions · 45.5 hours · 3.14'],
    ['a card number that fails the Luhn check', 'ref 4111 1111 1111 1112'],
    ['version numbers and clock times', 'v1.2.3 at 09:30:00, std::string'],
  ])('leaves %s alone', (_kind, input) => {
    expect(redactPii(input).text).toBe(input);
  });

  it('gives one token per distinct value and counts every occurrence, never the values', () => {
    const r = redactPii('a@x.io, b@x.io, A@X.io; (555) 201-3344 and 555-201-3344');
    expect(r.text).toBe('[EMAIL_1], [EMAIL_2], [EMAIL_1]; [PHONE_1] and [PHONE_1]');
    expect(r.counts).toEqual({ email: 3, card: 0, national_id: 0, ip: 0, phone: 2 });
    expect(JSON.stringify(r.counts)).not.toContain('@');
  });

  it('is configurable: off entirely, or per kind', () => {
    const text = 'mail a@x.io from 10.0.0.1';
    expect(redactPii(text, { ...DEFAULT_REDACTION, enabled: false }).text).toBe(text);
    const noIp: RedactionSettings = { enabled: true, kinds: { ...DEFAULT_REDACTION.kinds, ip: false } };
    const r = redactPii(text, noIp);
    expect(r.text).toBe('mail [EMAIL_1] from 10.0.0.1');
    expect(r.counts.ip).toBe(0);
  });
});
