import type { RetrievalState } from '../../../shared/admin-fleet.ts';
import {
  formatArch,
  formatBytes,
  formatDateTime,
  formatEta,
  formatRate,
} from '../../model/format.ts';
import {
  PHASE_WORDS,
  RETRIEVAL_WORDS,
  statusOf,
  versionWords,
  type AdminFleetDevice,
} from '../api/fleet-words.ts';

/** Props of the fleet table. */
export interface FleetTableProps {
  readonly devices: readonly AdminFleetDevice[];
  readonly selected: readonly string[];
  readonly onSelect: (deviceIds: string[]) => void;
  /** The policy retrieval state to show for a device; null when none was asked for. */
  readonly retrievalOf: (device: AdminFleetDevice) => RetrievalState | null;
  /** A group id (or `primary`) and a golden image id by the names the admin gave them. */
  readonly groupName: (id: string) => string;
  readonly imageName: (id: string) => string;
}

/**
 * One row per Mac: identity, agent, check-in, status, job phase with progress, VMs, the golden
 * image version they run, retrieval.
 */
export function FleetTable(props: FleetTableProps) {
  const { devices, selected, onSelect, retrievalOf, groupName, imageName } = props;
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
          <th scope="col">Status</th>
          <th scope="col">Phase</th>
          <th scope="col">Corporate VMs</th>
          <th scope="col">Version</th>
          <th scope="col">Policy retrieval</th>
        </tr>
      </thead>
      <tbody>
        {devices.map((device) => {
          const retrieval = retrievalOf(device);
          const status = statusOf(device);
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
              <th scope="row">
                <span className="host-name" title={device.hostname}>
                  {device.hostname}
                </span>
              </th>
              <td className="mono">{device.serialNumber ?? 'Not reported'}</td>
              <td>{formatArch(device.arch)}</td>
              <td className="mono">{device.licenseKey}</td>
              <td>{device.groupId === null ? 'No group' : groupName(device.groupId)}</td>
              <td>{device.agentVersion}</td>
              <td>{formatDateTime(device.lastCheckInAt)}</td>
              <td className="status" data-online={device.online} data-status={status.key}>
                {status.words}
              </td>
              <td className="phase">
                <PhaseCell
                  device={device}
                  refused={status.key === 'refused'}
                  imageName={imageName}
                />
              </td>
              <td className="corporate-vms">
                {device.corporateVms.length === 0
                  ? 'None'
                  : device.corporateVms.map((vm) => vm.name).join(', ')}
              </td>
              <VersionCell device={device} imageName={imageName} />
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

interface PhaseCellProps {
  readonly device: AdminFleetDevice;
  /** A refused Mac does nothing: "Idle" would read as ready. */
  readonly refused: boolean;
  readonly imageName: (id: string) => string;
}

function PhaseCell({ device, refused, imageName }: PhaseCellProps) {
  const { phase, progress, download, goldenImageId } = device;
  if (phase === null) return <>{refused ? '—' : 'Idle'}</>;
  if (!progress) return <>{PHASE_WORDS[phase]}</>;
  const label = `${device.hostname} ${PHASE_WORDS[phase].toLowerCase()} progress`;
  const done =
    progress.total === null
      ? formatBytes(progress.transferred)
      : `${formatBytes(progress.transferred)} of ${formatBytes(progress.total)}`;
  const pace = download
    ? [
        formatRate(download.bytesPerSec),
        ...(download.secondsLeft === null ? [] : [`${formatEta(download.secondsLeft)} left`]),
      ]
    : [];
  return (
    <>
      {PHASE_WORDS[phase]}
      {goldenImageId !== null && <span className="phase-image"> {imageName(goldenImageId)}</span>}
      {progress.total === null ? (
        <progress aria-label={label} />
      ) : (
        <progress aria-label={label} value={progress.transferred} max={progress.total || 1} />
      )}
      <span className="hint">{[done, ...pace].join(' · ')}</span>
    </>
  );
}

// One line per golden image the Mac has a VM of, named only when there are several; the state
// of the image the Mac is about now (its job's, else its group's) is the cell's data-version.
function VersionCell(props: {
  readonly device: AdminFleetDevice;
  readonly imageName: (id: string) => string;
}) {
  const { device, imageName } = props;
  const versions = device.versions ?? [];
  const main =
    versions.find((v) => v.goldenImageId === device.goldenImageId) ?? versions.at(-1) ?? null;
  return (
    <td className="version" data-version={main?.state ?? 'none'}>
      {versions.length === 0
        ? '—'
        : versions.map((version, index) => (
            <span
              key={version.goldenImageId}
              className="version-of"
              title={version.sha256 ?? undefined}
            >
              {index > 0 && '; '}
              {versions.length > 1 && `${imageName(version.goldenImageId)}: `}
              {versionWords(version)}
            </span>
          ))}
    </td>
  );
}
