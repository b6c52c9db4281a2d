import { ARCHES } from '../../../shared/protocol.ts';
import { canonicalJson } from '../canonical-json.ts';
import type { OrgConfig } from '../org-config-schema.ts';
import { resolveForKey } from '../resolve-policy.ts';

// Any fixed base does: both sides of a comparison resolve hosted paths against the same one.
const COMPARE_CONTEXT = { revision: 0, baseUrl: 'http://portal.invalid' };

interface KeyAnswer {
  readonly policyId: string;
  readonly fingerprint: string;
}

/** The policy id each license key is answered with (as if the key were active), by key. */
export function policyIdsByKey(org: OrgConfig): Map<string, string> {
  return new Map([...answers(org)].map(([key, answer]) => [key, answer.policyId]));
}

/** The license keys each policy id answers, in the order of the keys. */
export function policyHolders(org: OrgConfig): Map<string, string[]> {
  const holders = new Map<string, string[]>();
  for (const [key, policyId] of policyIdsByKey(org)) {
    holders.set(policyId, [...(holders.get(policyId) ?? []), key]);
  }
  return holders;
}

/**
 * The policy ids whose check-in answer differs between two configurations for at least one
 * license key both have (either architecture, key state included): the policies a change must
 * bump. A key that is new has no agent holding an older answer.
 */
export function changedPolicies(before: OrgConfig, after: OrgConfig): string[] {
  const old = answers(before);
  const changed = new Set<string>();
  for (const [key, answer] of answers(after)) {
    const previous = old.get(key);
    if (previous && previous.fingerprint !== answer.fingerprint) changed.add(answer.policyId);
  }
  return [...changed];
}

function answers(org: OrgConfig): Map<string, KeyAnswer> {
  const result = new Map<string, KeyAnswer>();
  for (const key of org.licenseKeys) {
    const perArch = ARCHES.map((arch) => resolveForKey(org, key, arch, COMPARE_CONTEXT).policy);
    result.set(key.key, {
      policyId: perArch[0]!.id,
      fingerprint: canonicalJson([key.state, org.checkInIntervalSec, perArch]),
    });
  }
  return result;
}
