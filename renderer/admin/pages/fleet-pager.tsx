/** Props of the pager under the fleet table. */
export interface FleetPagerProps {
  /** Index of the first row shown. */
  readonly offset: number;
  readonly pageSize: number;
  /** Rows on every page. */
  readonly total: number;
  readonly onOffset: (offset: number) => void;
}

/** "Macs 51–100 of 1,000" with Previous and Next. */
export function FleetPager({ offset, pageSize, total, onOffset }: FleetPagerProps) {
  const last = Math.min(total, offset + pageSize);
  return (
    <nav className="pager" aria-label="Pages of devices">
      <button
        type="button"
        disabled={offset === 0}
        onClick={() => onOffset(Math.max(0, offset - pageSize))}
      >
        Previous
      </button>
      <span aria-live="polite">
        {total === 0
          ? 'No Mac matches'
          : `Macs ${(offset + 1).toLocaleString('en')}–${last.toLocaleString('en')} of ${total.toLocaleString('en')}`}
      </span>
      <button type="button" disabled={last >= total} onClick={() => onOffset(offset + pageSize)}>
        Next
      </button>
    </nav>
  );
}
