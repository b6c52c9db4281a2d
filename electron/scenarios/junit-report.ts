import { XMLBuilder } from 'fast-xml-parser';

/** One test case of a JUnit report. */
export interface JUnitCase {
  readonly name: string;
  readonly className: string;
  readonly seconds: number;
  readonly failure?: { readonly message: string; readonly details: string };
  /** Why the case was skipped. */
  readonly skipped?: string;
  readonly systemOut?: string;
}

/** A JUnit test suite. */
export interface JUnitSuite {
  readonly name: string;
  readonly cases: readonly JUnitCase[];
}

// XML 1.0 cannot carry these at all, even escaped, so they are written as visible escapes.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Makes text safe for XML: escapes markup characters and replaces forbidden control characters. */
export function xmlText(text: string): string {
  return text
    .replace(FORBIDDEN, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

// Parsers turn raw newlines and tabs in attributes into spaces, so attributes keep them as references.
function xmlAttr(text: string): string {
  return xmlText(text).replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const seconds = (s: number): string => s.toFixed(3);

/** Renders a suite as JUnit XML (testsuites > testsuite > testcase), as CI systems read it. */
export function renderJUnit(suite: JUnitSuite): string {
  const failures = suite.cases.filter((c) => c.failure).length;
  const skipped = suite.cases.filter((c) => c.failure === undefined && c.skipped !== undefined);
  const time = seconds(suite.cases.reduce((sum, c) => sum + c.seconds, 0));
  const counts = {
    '@_tests': String(suite.cases.length),
    '@_failures': String(failures),
    '@_errors': '0',
    '@_skipped': String(skipped.length),
    '@_time': time,
  };
  const tree = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: {
      '@_name': xmlAttr(suite.name),
      ...counts,
      testsuite: {
        '@_name': xmlAttr(suite.name),
        ...counts,
        testcase: suite.cases.map(testCase),
      },
    },
  };
  // Escaping is done by xmlText so that control characters are handled too.
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    format: true,
    suppressEmptyNode: true,
    processEntities: false,
  });
  return builder.build(tree) as string;
}

function testCase(c: JUnitCase): Record<string, unknown> {
  const node: Record<string, unknown> = {
    '@_name': xmlAttr(c.name),
    '@_classname': xmlAttr(c.className),
    '@_time': seconds(c.seconds),
  };
  if (c.failure) {
    node.failure = { '@_message': xmlAttr(c.failure.message), '#text': xmlText(c.failure.details) };
  } else if (c.skipped !== undefined) {
    node.skipped = { '@_message': xmlAttr(c.skipped) };
  }
  if (c.systemOut !== undefined) node['system-out'] = { '#text': xmlText(c.systemOut) };
  return node;
}
