import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AdminApiError } from '../../../renderer/admin/api/admin-client.ts';
import { AddForm, useAdminList } from '../../../renderer/admin/components/admin-list.tsx';
import { useFormErrors } from '../../../renderer/admin/components/form-errors.tsx';

const REFUSAL = 'The name "ops" is taken; choose another.';
const IN_WORDS = 'The portal could not save the change in its data folder';

/** A list page reduced to its add form, sending whatever `send` returns. */
function AddThing({ send }: { send: () => Promise<unknown> }) {
  const list = useAdminList(async () => []);
  const errors = useFormErrors(list.adding.error, { form: 'list' });
  return (
    <AddForm
      title="Add a thing"
      submitLabel="Add"
      action={list.adding}
      errors={errors}
      onSubmit={() => list.add(send)}
    >
      <p>The fields</p>
    </AddForm>
  );
}

describe('AddForm with useAdminList', () => {
  it('holds the submit button while the addition runs (focusable, aria-disabled), so a second click cannot add twice', async () => {
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
    expect(button).toHaveAttribute('aria-disabled', 'true');
    expect(button).not.toBeDisabled();
    expect(button).toHaveFocus();
    await user.click(button);
    await user.keyboard('{Enter}');
    expect(sends).toBe(1);
    answer({});
    await expect.poll(() => button.hasAttribute('aria-disabled')).toBe(false);
  });

  it('shows the refusal in the page’s words inside the form, focused, and clears it once an addition succeeds', async () => {
    const user = userEvent.setup();
    const answers = [
      () => Promise.reject(new AdminApiError(500, 'STATE_NOT_SAVED', REFUSAL, [])),
      () => Promise.resolve({}),
    ];
    render(<AddThing send={() => answers.shift()!()} />);
    const form = screen.getByRole('form', { name: 'Add a thing' });
    await user.click(screen.getByRole('button', { name: 'Add' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(IN_WORDS);
    expect(alert).not.toHaveTextContent(REFUSAL);
    expect(alert).toHaveFocus();
    expect(form).toContainElement(alert);
    await user.click(screen.getByRole('button', { name: 'Add' }));
    await expect.poll(() => screen.queryByRole('alert')).toBeNull();
  });
});
