import type { BundlePart } from './bundle-folder.ts';

/** What README.txt says: the report's ID, what each file holds, what is missing, and what was removed. */
export function manifestText(report: {
  readonly id: string;
  readonly createdAt: string;
  readonly agentVersion: string;
  readonly parts: readonly BundlePart[];
  readonly problems: readonly string[];
}): string {
  const width = Math.max(...report.parts.map((part) => part.path.length), 10);
  const lines = [
    `Provisim problem report ${report.id}`,
    `Created ${report.createdAt} by the Provisim agent ${report.agentVersion}.`,
    '',
    'Files (paths inside this folder, sizes in bytes):',
    ...report.parts.map(
      (part) => `  ${part.path.padEnd(width)}  ${String(part.bytes).padStart(9)}  ${part.about}`,
    ),
    '',
    report.problems.length === 0 ? 'Every part could be read.' : 'Parts that could not be read:',
    ...report.problems.map((problem) => `  - ${problem}`),
    '',
    'Secrets: license keys are shown by their last four characters only; admin tokens, proxy',
    'passwords, bearer tokens and the token/signature parameters of links are removed from every',
    'file. Host names, folder paths, image links and VM names are kept: they locate the problem.',
    '',
  ];
  return lines.join('\n');
}
