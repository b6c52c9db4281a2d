import type { GoldenImageDeleted } from '../../../shared/admin-api.ts';
import type { UserGroup } from '../api/admin-types.ts';
import { targetLabel } from './golden-image-draft.ts';

/** Groups by their names, joined as a sentence says them: "Engineering, Finance and Sales". */
export function groupList(targets: readonly string[], groups: readonly UserGroup[]): string {
  const names = targets.map((target) =>
    target === 'primary' ? 'The users of the primary license key' : targetLabel(target, groups),
  );
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** What happens to groups restricted to corporate VMs that are left without a golden image. */
export function strandedSentence(
  stranded: readonly string[],
  groups: readonly UserGroup[],
): string {
  const many = stranded.length > 1;
  return `${groupList(stranded, groups)} may use only corporate VMs, so ${many ? 'their' : 'its'} users could not create any VM until you assign another golden image to ${many ? 'those groups' : 'that group'} on this page.`;
}

/** The notice after a deletion: what was deleted, and who is left without a golden image. */
export function deletedSentence(
  answer: GoldenImageDeleted,
  name: string,
  groups: readonly UserGroup[],
): string {
  const stranded =
    answer.strandedGroups.length > 0 ? ` ${strandedSentence(answer.strandedGroups, groups)}` : '';
  return `Golden image “${name}” deleted.${stranded}`;
}
