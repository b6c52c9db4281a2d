import type { JUnitSuite } from '../scenarios/junit-report.ts';
import type { MacOutcome } from './fleet-mac.ts';

/** The Macs of a fleet as a JUnit suite: one test case per Mac, failed where it ended with an error. */
export function fleetSuite(outcomes: readonly MacOutcome[]): JUnitSuite {
  return {
    name: 'provisim fleet',
    cases: [...outcomes]
      .sort((a, b) => a.hostname.localeCompare(b.hostname))
      .map((mac) => ({
        name: mac.hostname,
        className: `fleet.${mac.arch}`,
        seconds: (mac.timeToVmMs ?? 0) / 1000,
        failure: mac.error
          ? { message: `${mac.error.code}: ${mac.error.message}`, details: JSON.stringify(mac) }
          : undefined,
        systemOut: `outcome: ${mac.outcome}${mac.assistant ? ` (assistant: ${mac.assistant})` : ''}\nretries: ${mac.retries}\nbytes: ${mac.bytes}`,
      })),
  };
}
