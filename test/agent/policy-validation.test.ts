import { describe, expect, it } from 'vitest';
import {
  normaliseSha256,
  validateImageUrl,
  validatePolicy,
} from '../../electron/agent/policy-validation.ts';
import { samplePolicy } from '../helpers/fake-portal.ts';

const HEX = '0123456789abcdef'.repeat(4);

function policyError(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    return error as { code: string; message: string };
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

  it('refuses text that is not a URL', () => {
    expect(policyError(() => validateImageUrl('not a url'))).toMatchObject({
      code: 'POLICY_INVALID',
      message: expect.stringContaining('not a valid URL'),
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
