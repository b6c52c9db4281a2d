import type { PolicyMutation } from '../../../shared/faults.ts';
import type { CheckInResponse } from '../../../shared/protocol.ts';
import { canonicalJson } from '../canonical-json.ts';

const OVERSIZED_BYTES = 1024 * 1024;

/**
 * The check-in answer spoiled the way a policy fault asks, as the body text to send. The image
 * mutations change nothing when the policy offers no golden image.
 */
export function mutatedCheckIn(answer: CheckInResponse, mutation: PolicyMutation): string {
  if (mutation === 'malformed_json') {
    const text = canonicalJson(answer);
    return `${text.slice(0, Math.ceil(text.length / 2))},}`;
  }
  const data = structuredClone(answer) as unknown as Answer;
  const image = data.policy.goldenImage;
  switch (mutation) {
    case 'wrong_types':
      data.checkInIntervalSec = String(data.checkInIntervalSec);
      data.policy.revision = String(data.policy.revision);
      data.policy.restrictToCorporateVms = 'yes';
      if (image) image.sizeBytes = 'big';
      break;
    case 'oversized_fields':
      data.policy.id = 'P'.repeat(OVERSIZED_BYTES);
      if (image) {
        image.name = 'N'.repeat(OVERSIZED_BYTES);
        image.description = 'D'.repeat(OVERSIZED_BYTES);
      }
      break;
    case 'javascript_url':
      if (image) image.url = 'javascript:alert(document.domain)//image.pvmp';
      break;
    case 'file_url':
      if (image) image.url = 'file:///etc/passwd';
      break;
    case 'non_hex_checksum':
      if (image) image.sha256 = 'z'.repeat(64);
      break;
    case 'wrong_checksum':
      if (image) image.sha256 = 'deadbeef'.repeat(8);
      break;
  }
  return canonicalJson(data);
}

// The answer as loose data, so that fields can take values of the wrong type.
interface Answer {
  checkInIntervalSec: unknown;
  policy: Record<string, unknown> & { goldenImage: Record<string, unknown> | null };
}
