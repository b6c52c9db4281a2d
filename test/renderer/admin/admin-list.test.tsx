import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AdminApiError } from '../../../renderer/admin/api/admin-client.ts';
import { AddForm, useAdminList } from '../../../renderer/admin/components/admin-list.tsx';

const REFUSAL = 'The name "ops" is taken; choose another.';

/** A list page reduced to its add form, sending whatever `send` returns. */
function AddThing({ send }: { send: () => Promise<unknown> }) {
  const list = useAdminList(async () => []);
  return (
    <AddForm
      title="Add a thing"
      submitLabel="Add"
      action={list.adding}
      onSubmit={() => list.add(send)}
    >
      <p>The fields</p>
    </AddForm>
  );
}

describe('AddForm with useAdminList', () => {
  it('holds the submit button while the addition runs, so a second click cannot add twice', async () => {
    const user = userEvent.setup();
    let answer: (value: unknown) => void = () => undefined;
    let sends = 0;
    const send = (): Promise<unknown> => {
      sends += 1;
      return new Promise((resolve) => (answer = resolve));
    };
    render(<AddThing send={send} />);
    const button = screen.getByRole('button', { name: 'Add' });
    await user.click(button);
    expect(button).toBeDisabled();
    await user.click(button);
    expect(sends).toBe(1);
    answer({});
    await expect.poll(() => button.hasAttribute('disabled')).toBe(false);
  });

  it('shows the refusal inside the form and clears it once an addition succeeds', async () => {
    const user = userEvent.setup();
    const answers = [
      () => Promise.reject(new AdminApiError(409, 'NAME_TAKEN', REFUSAL, [])),
      () => Promise.resolve({}),
    ];
    render(<AddThing send={() => answers.shift()!()} />);
    const form = screen.getByRole('form', { name: 'Add a thing' });
    await user.click(screen.getByRole('button', { name: 'Add' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(REFUSAL);
    expect(form).toContainElement(screen.getByRole('alert'));
    await user.click(screen.getByRole('button', { name: 'Add' }));
    await expect.poll(() => screen.queryByRole('alert')).toBeNull();
  });
});
