import type { ReactNode } from 'react';
import { DeleteButton, EditButton } from './admin-list.tsx';

/** One column of a resource table: its heading and what it shows of each row. */
export interface Column<T> {
  readonly header: string;
  readonly cell: (row: T) => ReactNode;
  readonly className?: string;
}

/** Props of a table of admin entries; `nameOf` names each row's buttons (and keys it). */
export interface ResourceTableProps<T> {
  readonly label: string;
  readonly rows: readonly T[];
  readonly columns: readonly Column<T>[];
  readonly keyOf?: (row: T) => string;
  readonly nameOf: (row: T) => string;
  readonly onDelete: (row: T) => void;
  readonly deleteLabel?: string;
  readonly stateOf?: (row: T) => string;
  /** Shows an Edit button per row; the row being edited shows `editor` in its place. */
  readonly onEdit?: (row: T) => void;
  readonly editingKey?: string | null;
  readonly editor?: (row: T) => ReactNode;
}

/** The entries as table rows, a column each, and a last column with their buttons. */
export function ResourceTable<T>(props: ResourceTableProps<T>) {
  const { label, rows, columns, nameOf, keyOf = nameOf, onDelete, deleteLabel, stateOf } = props;
  const { onEdit, editingKey, editor } = props;
  return (
    <table className="admin-table" aria-label={label}>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.header} scope="col">
              {column.header}
            </th>
          ))}
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) =>
          keyOf(row) === editingKey && editor ? (
            <tr key={keyOf(row)} className="editing" data-state={stateOf?.(row)}>
              <td colSpan={columns.length + 1}>{editor(row)}</td>
            </tr>
          ) : (
            <tr key={keyOf(row)} data-state={stateOf?.(row)}>
              {columns.map((column) => (
                <td key={column.header} className={column.className}>
                  {column.cell(row)}
                </td>
              ))}
              <td className="row-actions">
                {onEdit && <EditButton name={nameOf(row)} onClick={() => onEdit(row)} />}
                <DeleteButton
                  label={deleteLabel}
                  name={nameOf(row)}
                  onClick={() => onDelete(row)}
                />
              </td>
            </tr>
          ),
        )}
      </tbody>
    </table>
  );
}
