import type { PolicyCache } from '../../shared/agent-store-schema.ts';
import { ProvisimError } from '../../shared/provisim-error.ts';
import type { AgentStore } from './agent-store.ts';
import type { AgentIdentity } from './identity.ts';
import { validatePolicy, type ValidatedPolicy } from './policy-validation.ts';
import { parsePortalUrl } from './portal-errors.ts';
import type { PortalClient } from './portal-client.ts';

/** What checkInAndCache needs. */
export interface CheckInOptions {
  store: AgentStore;
  client: PortalClient;
  identity: AgentIdentity;
  licenseKey: string;
  portalUrl: string;
  now?: () => Date;
  /** Cancels the request (Ctrl-C during a New VM action). */
  signal?: AbortSignal;
}

/** The current policy after a check-in. */
export interface CheckInOutcome {
  policy: ValidatedPolicy;
  /** False when the portal answered 304 and the cached policy was used. */
  changed: boolean;
  checkInIntervalSec: number;
}

/** Checks in (conditionally when a matching cached policy exists), caches and validates the policy. */
export async function checkInAndCache(options: CheckInOptions): Promise<CheckInOutcome> {
  const { store, client, identity, licenseKey } = options;
  // Normalised so "https://portal/" and "https://portal" share one cache.
  const portalUrl = parsePortalUrl(options.portalUrl);
  const now = (options.now ?? (() => new Date()))().toISOString();
  const cached = store.get('policyCache');
  // A cache made for another portal or key must not be revalidated against this one.
  const usable =
    cached && cached.portalUrl === portalUrl && cached.licenseKey === licenseKey
      ? cached
      : undefined;
  const result = await client.checkIn(
    {
      licenseKey,
      deviceId: identity.deviceId,
      hostname: identity.hostname,
      serialNumber: identity.serialNumber,
      arch: identity.arch,
      agentVersion: identity.agentVersion,
    },
    usable?.etag || undefined,
    options.signal,
  );
  let current: PolicyCache;
  if (result.status === 'unchanged') {
    if (!usable) {
      throw new ProvisimError('POLICY_INVALID', {
        message: `The portal at ${portalUrl} answered "not modified" although no policy was cached. Ask your administrator to check the portal.`,
        details: { portalUrl },
      });
    }
    current = usable;
    store.set('lastConnectedAt', now);
  } else {
    current = {
      etag: result.etag,
      policy: result.body.policy,
      checkInIntervalSec: result.body.checkInIntervalSec,
      portalUrl,
      licenseKey,
    };
    store.update({ policyCache: current, policiesReceivedAt: now, lastConnectedAt: now });
  }
  return {
    policy: validatePolicy(current.policy),
    changed: result.status === 'changed',
    checkInIntervalSec: current.checkInIntervalSec,
  };
}
