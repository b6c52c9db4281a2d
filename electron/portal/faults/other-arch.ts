import type { Arch } from '../../../shared/protocol.ts';
import type { OrgConfig } from '../org-config-schema.ts';
import { absoluteUrl } from '../resolve-policy.ts';

interface Link {
  readonly enabled: boolean;
  readonly url?: string | undefined;
}

const OTHER: Readonly<Record<Arch, Arch>> = { arm64: 'x86_64', x86_64: 'arm64' };

/**
 * The path (with query) on this portal of the image that the organisation has for the other
 * architecture, next to the one a request path names; null when there is none hosted here.
 */
export function otherArchPath(org: OrgConfig, baseUrl: string, requestUrl: string): string | null {
  const path = new URL(requestUrl, `${baseUrl}/`).pathname;
  const pairs: [Link | undefined, Link | undefined][] = [
    ...org.goldenImages.flatMap((g) =>
      (['arm64', 'x86_64'] as const).map((a): [Link | undefined, Link | undefined] => [
        g.images[a],
        g.images[OTHER[a]],
      ]),
    ),
    ...org.configurationProfiles.flatMap((p): [Link | undefined, Link | undefined][] => [
      [p.vmForMSeriesMac, p.vmForIntelMac],
      [p.vmForIntelMac, p.vmForMSeriesMac],
    ]),
  ];
  for (const [mine, other] of pairs) {
    if (!mine?.enabled || !other?.enabled || !mine.url || !other.url) continue;
    if (hostedPath(mine.url, baseUrl)?.split('?')[0] !== path) continue;
    const hosted = hostedPath(other.url, baseUrl);
    if (hosted !== null) return hosted;
  }
  return null;
}

function hostedPath(url: string, baseUrl: string): string | null {
  const absolute = absoluteUrl(url, baseUrl);
  if (!URL.canParse(absolute)) return null;
  const target = new URL(absolute);
  return target.origin === new URL(baseUrl).origin ? target.pathname + target.search : null;
}
