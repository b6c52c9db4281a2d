import { FLEET_PHASES, type FleetDevice, type FleetPhase, type FleetQuery } from './admin-fleet.ts';

/** Which Macs of the fleet view to show: the query without its paging. */
export type FleetFilter = Omit<FleetQuery, 'offset' | 'limit'>;

/** The Macs a filter keeps, first seen first, and the counts per phase for its other parts. */
export interface FleetMatch {
  readonly devices: readonly FleetDevice[];
  readonly phaseCounts: Readonly<Record<FleetPhase, number>>;
}

/** Filters the fleet view as the admin API and the Virtual Machines page both do. */
export function matchFleet(devices: readonly FleetDevice[], filter: FleetFilter): FleetMatch {
  const search = filter.search?.trim().toLowerCase() || undefined;
  const phaseCounts = Object.fromEntries(FLEET_PHASES.map((phase) => [phase, 0])) as Record<
    FleetPhase,
    number
  >;
  const matches: FleetDevice[] = [];
  for (const device of devices) {
    if (filter.group !== undefined && device.groupId !== filter.group) continue;
    if (filter.goldenImage !== undefined && device.goldenImageId !== filter.goldenImage) continue;
    if (search !== undefined && !matchesSearch(device, search)) continue;
    const phase = device.phase ?? 'idle';
    phaseCounts[phase] += 1;
    if (filter.phase === undefined || filter.phase === phase) matches.push(device);
  }
  return { devices: matches, phaseCounts };
}

function matchesSearch(device: FleetDevice, search: string): boolean {
  return (
    device.hostname.toLowerCase().includes(search) ||
    (device.serialNumber?.toLowerCase().includes(search) ?? false)
  );
}
