import { FLEET_PHASES, type FleetDevice } from '../../../shared/admin-fleet.ts';
import type { FleetFilter, FleetMatch } from '../../../shared/admin-fleet-filter.ts';
import { PHASE_WORDS } from '../api/fleet-words.ts';

/** Props of the fleet filters. */
export interface FleetFiltersProps {
  /** Every Mac, for the groups and golden images to choose from. */
  readonly devices: readonly FleetDevice[];
  readonly counts: FleetMatch['phaseCounts'];
  readonly filter: FleetFilter;
  readonly onChange: (filter: FleetFilter) => void;
  /** A group id (or `primary`) and a golden image id by the names the admin gave them. */
  readonly groupName: (id: string) => string;
  readonly imageName: (id: string) => string;
}

/** Counts per phase (each one a filter), then group, golden image and a search of hostnames and serial numbers. */
export function FleetFilters(props: FleetFiltersProps) {
  const { devices, counts, filter, onChange, groupName, imageName } = props;
  const total = FLEET_PHASES.reduce((sum, phase) => sum + counts[phase], 0);
  const shown = FLEET_PHASES.filter((phase) => counts[phase] > 0 || filter.phase === phase);
  const groups = distinct(devices.map((d) => d.groupId));
  const images = distinct(devices.map((d) => d.goldenImageId));
  const set = (change: FleetFilter): void => onChange(withoutEmpty({ ...filter, ...change }));
  return (
    <div className="fleet-filters">
      <div role="group" aria-label="Phase" className="phase-counts">
        <button
          type="button"
          aria-pressed={filter.phase === undefined}
          onClick={() => set({ phase: undefined })}
        >
          All <span data-count="all">{total}</span>
        </button>
        {shown.map((phase) => (
          <button
            key={phase}
            type="button"
            aria-pressed={filter.phase === phase}
            onClick={() => set({ phase })}
          >
            {PHASE_WORDS[phase]} <span data-count={phase}>{counts[phase]}</span>
          </button>
        ))}
      </div>
      <label>
        Group{' '}
        <select value={filter.group ?? ''} onChange={(e) => set({ group: e.target.value })}>
          <option value="">All groups</option>
          {groups.map((group) => (
            <option key={group} value={group}>
              {groupName(group)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Golden image{' '}
        <select
          value={filter.goldenImage ?? ''}
          onChange={(e) => set({ goldenImage: e.target.value })}
        >
          <option value="">All golden images</option>
          {images.map((image) => (
            <option key={image} value={image}>
              {imageName(image)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Hostname or serial{' '}
        <input
          type="search"
          value={filter.search ?? ''}
          placeholder="Search"
          onChange={(e) => set({ search: e.target.value })}
        />
      </label>
    </div>
  );
}

function distinct(values: readonly (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== null))].sort();
}

// An empty choice means "any": the key goes, so the filter stays as small as what was chosen.
function withoutEmpty(filter: FleetFilter): FleetFilter {
  return Object.fromEntries(
    Object.entries(filter).filter(([, value]) => value !== undefined && value !== ''),
  ) as FleetFilter;
}
