import type { FleetDevice, RetrievalState } from '../../../shared/admin-fleet.ts';
import { formatArch, formatBytes, formatDateTime } from '../../model/format.ts';
import { PHASE_WORDS } from './fleet-filters.tsx';

/** Props of the fleet table. */
export interface FleetTableProps {
  readonly devices: readonly FleetDevice[];
  readonly selected: readonly string[];
  readonly onSelect: (deviceIds: string[]) => void;
  /** The policy retrieval state to show for a device; null when none was asked for. */
  readonly retrievalOf: (device: FleetDevice) => RetrievalState | null;
}

const RETRIEVAL_WORDS: Readonly<Record<RetrievalState, string>> = {
  pending: 'Pending',
  retrieved: 'Retrieved',
  offline: 'Offline',
  'not-responding': 'Not responding',
};

/** One row per Mac: identity, agent, check-in, job phase with progress, corporate VMs, retrieval. */
export function FleetTable({ devices, selected, onSelect, retrievalOf }: FleetTableProps) {
  const all = devices.length > 0 && devices.every((d) => selected.includes(d.deviceId));
  const toggle = (id: string, on: boolean): void =>
    onSelect(on ? [...selected, id] : selected.filter((s) => s !== id));
  return (
    <table className="admin-table fleet-table" aria-label="Devices">
      <thead>
        <tr>
          <th scope="col">
            <input
              type="checkbox"
              aria-label="Select every device on this page"
              checked={all}
              onChange={(event) =>
                onSelect(event.target.checked ? devices.map((d) => d.deviceId) : [])
              }
            />
          </th>
          <th scope="col">Hostname</th>
          <th scope="col">Serial number</th>
          <th scope="col">Architecture</th>
          <th scope="col">License key</th>
          <th scope="col">Group</th>
          <th scope="col">Agent</th>
          <th scope="col">Last check-in</th>
          <th scope="col">Online</th>
          <th scope="col">Phase</th>
          <th scope="col">Corporate VMs</th>
          <th scope="col">Policy retrieval</th>
        </tr>
      </thead>
      <tbody>
        {devices.map((device) => {
          const retrieval = retrievalOf(device);
          return (
            <tr
              key={device.deviceId}
              data-device={device.deviceId}
              data-phase={device.phase ?? 'idle'}
            >
              <td>
                <input
                  type="checkbox"
                  aria-label={`Select ${device.hostname}`}
                  checked={selected.includes(device.deviceId)}
                  onChange={(event) => toggle(device.deviceId, event.target.checked)}
                />
              </td>
              <th scope="row">{device.hostname}</th>
              <td className="mono">{device.serialNumber ?? 'Not reported'}</td>
              <td>{formatArch(device.arch)}</td>
              <td className="mono">{device.licenseKey}</td>
              <td>{device.groupId ?? 'Primary key'}</td>
              <td>{device.agentVersion}</td>
              <td>{formatDateTime(device.lastCheckInAt)}</td>
              <td data-online={device.online}>{device.online ? 'Online' : 'Offline'}</td>
              <td className="phase">
                <PhaseCell device={device} />
              </td>
              <td className="corporate-vms">
                {device.corporateVms.length === 0
                  ? 'None'
                  : device.corporateVms.map((vm) => vm.name).join(', ')}
              </td>
              <td data-retrieval={retrieval ?? 'none'}>
                {retrieval ? RETRIEVAL_WORDS[retrieval] : '—'}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function PhaseCell({ device }: { device: FleetDevice }) {
  const { phase, progress } = device;
  if (phase === null) return <>Idle</>;
  if (!progress) return <>{PHASE_WORDS[phase]}</>;
  const label = `${device.hostname} ${phase} progress`;
  const done =
    progress.total === null
      ? formatBytes(progress.transferred)
      : `${formatBytes(progress.transferred)} of ${formatBytes(progress.total)}`;
  return (
    <>
      {PHASE_WORDS[phase]}
      {progress.total === null ? (
        <progress aria-label={label} />
      ) : (
        <progress aria-label={label} value={progress.transferred} max={progress.total || 1} />
      )}
      <span className="hint">{done}</span>
    </>
  );
}
