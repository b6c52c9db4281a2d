import { createInterface } from 'node:readline/promises';
import { ProvisimError } from '../../shared/provisim-error.ts';
import { SUPPORTED_GUEST_OSES } from '../agent/installation-assistant.ts';

/** What the Installation Assistant needs from the user. */
export interface AssistantAnswers {
  readonly name: string;
  readonly os: string;
}

/** After a declined invitation, asks whether to create a VM from scratch, and its name and OS. */
export async function askAssistant(): Promise<AssistantAnswers | undefined> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const start = await rl.question(
      'Create a VM from scratch with the Installation Assistant? [y/N] ',
    );
    if (!['y', 'yes'].includes(start.trim().toLowerCase())) return undefined;
    const name = (await rl.question('Name [My VM]: ')).trim() || 'My VM';
    const choices = SUPPORTED_GUEST_OSES.map((os, i) => `${i + 1}) ${os}`).join('  ');
    const pick = (await rl.question(`Operating system: ${choices} [1]: `)).trim();
    const index = pick === '' ? 0 : Number(pick) - 1;
    const os =
      SUPPORTED_GUEST_OSES[index] ??
      (SUPPORTED_GUEST_OSES as readonly string[]).find((o) => o === pick);
    if (!os)
      throw new ProvisimError('USAGE', { message: `"${pick}" is not one of the offered systems.` });
    return { name, os };
  } catch (error) {
    if (error instanceof ProvisimError) throw error;
    throw new ProvisimError('CANCELLED', {
      message: 'The Installation Assistant was left.',
      cause: error,
    });
  } finally {
    rl.close();
  }
}
