import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderJUnit, type JUnitSuite } from '../../electron/scenarios/junit-report.ts';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  // Numeric character references are standard XML; this parser only decodes them when asked.
  htmlEntities: true,
  isArray: (name) => name === 'testcase',
});

const suite: JUnitSuite = {
  name: 'scenarios',
  cases: [
    { name: 'happy path', className: 'scenarios.basic', seconds: 1.25 },
    {
      name: 'checksum mismatch',
      className: 'scenarios.integrity',
      seconds: 2,
      failure: { message: 'outcome registered, expected failed', details: 'trace\nline 2' },
      systemOut: 'log output',
    },
    { name: 'needs x86', className: 'scenarios.arch', seconds: 0, skipped: 'filtered out' },
  ],
};

describe('renderJUnit', () => {
  it('writes valid XML with counts on testsuites and testsuite', () => {
    const xml = renderJUnit(suite);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    const tree = parser.parse(xml);
    for (const node of [tree.testsuites, tree.testsuites.testsuite]) {
      expect(node).toMatchObject({
        name: 'scenarios',
        tests: '3',
        failures: '1',
        errors: '0',
        skipped: '1',
        time: '3.250',
      });
    }
  });

  it('writes failure, skipped and system-out elements on the right cases', () => {
    const cases = parser.parse(renderJUnit(suite)).testsuites.testsuite.testcase;
    expect(cases).toHaveLength(3);
    expect(cases[0]).toEqual({ name: 'happy path', classname: 'scenarios.basic', time: '1.250' });
    expect(cases[1].failure).toEqual({
      message: 'outcome registered, expected failed',
      '#text': 'trace\nline 2',
    });
    expect(cases[1]['system-out']).toBe('log output');
    expect(cases[1].skipped).toBeUndefined();
    expect(cases[2].skipped).toEqual({ message: 'filtered out' });
    expect(cases[2].failure).toBeUndefined();
  });

  it('escapes markup, quotes and control characters so they come back intact', () => {
    const nasty = `a < b && c > "d" 'e' ]]> <![CDATA[ x`;
    const xml = renderJUnit({
      name: `suite ${nasty}`,
      cases: [
        {
          name: nasty,
          className: 'x&y',
          seconds: 0.1,
          failure: { message: `${nasty}\tand\nnewline`, details: `${nasty}\n</failure>` },
          systemOut: `bell\u0007 nul\u0000 esc\u001b ${nasty}`,
        },
      ],
    });
    expect(XMLValidator.validate(xml)).toBe(true);
    const tree = parser.parse(xml);
    expect(tree.testsuites.name).toBe(`suite ${nasty}`);
    const [only] = tree.testsuites.testsuite.testcase;
    expect(only.name).toBe(nasty);
    expect(only.classname).toBe('x&y');
    expect(only.failure.message).toBe(`${nasty}\tand\nnewline`);
    expect(only.failure['#text']).toBe(`${nasty}\n</failure>`);
    // Control characters XML forbids are shown as escapes rather than dropped.
    expect(only['system-out']).toBe(`bell\\u0007 nul\\u0000 esc\\u001b ${nasty}`);
  });

  it('writes an empty suite', () => {
    const tree = parser.parse(renderJUnit({ name: 'none', cases: [] }));
    expect(tree.testsuites.testsuite).toMatchObject({ tests: '0', failures: '0', time: '0.000' });
  });
});
