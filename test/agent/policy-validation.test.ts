import { describe, expect, it } from 'vitest';
import {
  normaliseSha256,
  validateImageUrl,
  validatePolicy,
} from '../../electron/agent/policy-validation.ts';
import type { ProvisimError } from '../../shared/provisim-error.ts';
import { samplePolicy } from '../helpers/fake-portal.ts';

const HEX = '0123456789abcdef'.repeat(4);

function policyError(run: () => unknown): ProvisimError {
  try {
    run();
  } catch (error) {
    return error as ProvisimError;
  }
  throw new Error('expected an error');
}

describe('normaliseSha256', () => {
  it('accepts a pasted shasum line', () => {
    expect(normaliseSha256(`${HEX}  /Users/me/win11.pvmp\n`)).toBe(HEX);
  });

  it('lower-cases and trims', () => {
    expect(normaliseSha256(`  ${HEX.toUpperCase()}\t`)).toBe(HEX);
  });

  it('refuses an empty value', () => {
    expect(policyError(() => normaliseSha256('   '))).toMatchObject({
      code: 'POLICY_INVALID',
      message: expect.stringContaining('empty'),
    });
  });

  it('refuses 63 digits and says how many there were', () => {
    expect(policyError(() => normaliseSha256(HEX.slice(1)))).toMatchObject({
      code: 'POLICY_INVALID',
      message: expect.stringContaining('63 characters'),
    });
  });

  it('refuses non-hex digits and quotes the value', () => {
    const bad = `${HEX.slice(0, 63)}g`;
    expect(policyError(() => normaliseSha256(bad))).toMatchObject({
      code: 'POLICY_INVALID',
      message: expect.stringContaining(`"${bad}"`),
    });
  });

  it('quotes a value of exactly 80 characters whole and cuts one of 81', () => {
    const whole = policyError(() => normaliseSha256('x'.repeat(80))).message;
    expect(whole).toContain(`"${'x'.repeat(80)}" has 80 characters`);
    const cut = policyError(() => normaliseSha256('x'.repeat(81))).message;
    expect(cut).toContain(`"${'x'.repeat(80)}…" has 81 characters`);
  });

  it('refuses 65 digits', () => {
    expect(policyError(() => normaliseSha256(`${HEX}0`))).toMatchObject({
      code: 'POLICY_INVALID',
      message: expect.stringContaining('65 characters'),
    });
  });

  it('takes only the first token of a line separated by a tab or several spaces', () => {
    expect(normaliseSha256(`${HEX}\t\t*win11.pvmp`)).toBe(HEX);
    expect(normaliseSha256(`${HEX}   win11.pvmp`)).toBe(HEX);
  });

  it('never quotes more than 80 characters of a pasted blob', () => {
    const { message } = policyError(() => normaliseSha256('x'.repeat(5000)));
    expect(message).toContain(`"${'x'.repeat(80)}…"`);
    expect(message.length).toBeLessThan(250);
  });
});

describe('validateImageUrl', () => {
  it('accepts https and http links', () => {
    expect(validateImageUrl('https://cdn.example.com/a.pvmp').hostname).toBe('cdn.example.com');
    expect(validateImageUrl(' http://10.0.0.5/a.pvmp ').protocol).toBe('http:');
  });

  it.each(['file:///etc/passwd', 'javascript:alert(1)', 'ftp://host/a.pvmp'])(
    'refuses %s',
    (url) => {
      expect(policyError(() => validateImageUrl(url))).toMatchObject({
        code: 'POLICY_INVALID',
        message: expect.stringContaining('only http: and https:'),
      });
    },
  );

  it('refuses text that is not a URL and quotes it without the spaces around it', () => {
    expect(policyError(() => validateImageUrl('  not a url \n'))).toMatchObject({
      code: 'POLICY_INVALID',
      message: 'The golden image link "not a url" is not a valid URL.',
    });
  });

  it('names the refused scheme in the details', () => {
    expect(policyError(() => validateImageUrl('ftp://host/a.pvmp'))).toMatchObject({
      details: { protocol: 'ftp:' },
    });
  });
});

describe('validatePolicy', () => {
  it('normalises the golden image', () => {
    const policy = samplePolicy();
    policy.goldenImage!.sha256 = `${HEX.toUpperCase()}  win11.pvmp`;
    const validated = validatePolicy(policy);
    expect(validated.goldenImage?.sha256).toBe(HEX);
    expect(validated.goldenImage?.url).toBe('https://images.example.com/win11.pvmp');
  });

  it('passes a policy without an image', () => {
    expect(validatePolicy(samplePolicy({ goldenImage: null })).goldenImage).toBeNull();
  });

  it('refuses a policy with a bad checksum', () => {
    const policy = samplePolicy();
    policy.goldenImage!.sha256 = 'abc';
    expect(policyError(() => validatePolicy(policy)).code).toBe('POLICY_INVALID');
  });
});
