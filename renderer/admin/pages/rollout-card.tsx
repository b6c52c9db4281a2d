import type { RolloutStage, RolloutSummary, TimeToVm } from '../../../shared/admin-rollout.ts';
import { ERROR_SENTENCES, isErrorCode } from '../../../shared/codes.ts';

// The funnel's rows: what the page calls them, and whether they count part of "Accepted".
const ROWS: readonly {
  readonly key: 'offered' | 'accepted' | RolloutStage;
  readonly label: string;
  readonly part?: true;
}[] = [
  { key: 'offered', label: 'Offered' },
  { key: 'unanswered', label: 'No answer yet' },
  { key: 'declined', label: 'Declined' },
  { key: 'accepted', label: 'Accepted' },
  { key: 'downloading', label: 'Downloading', part: true },
  { key: 'installing', label: 'Installing', part: true },
  { key: 'registered', label: 'Registered', part: true },
  { key: 'failed', label: 'Failed', part: true },
];

/** One golden image's rollout: the funnel with a bar per row, failures by code, time to VM. */
export function RolloutCard({ rollout }: { readonly rollout: RolloutSummary }) {
  const { goldenImageId, name, offered, failures, timeToVm } = rollout;
  const count = (key: (typeof ROWS)[number]['key']): number =>
    key === 'offered' || key === 'accepted' ? rollout[key] : rollout.stages[key];
  const titleId = `rollout-${goldenImageId}`;
  return (
    <li className="card rollout-card" aria-labelledby={titleId} data-image={goldenImageId}>
      <h2 id={titleId}>{name}</h2>
      {!rollout.inOrg && <p className="hint">No longer a golden image of the organisation.</p>}
      {offered === 0 ? (
        <p className="empty">Not offered to any Mac yet.</p>
      ) : (
        <table className="admin-table rollout-funnel" aria-label={`Rollout of ${name}`}>
          <tbody>
            {ROWS.map(({ key, label, part }) => (
              <tr key={key} data-stage={key} className={part ? 'part' : undefined}>
                <th scope="row">{label}</th>
                <td className="count">{count(key)}</td>
                <td className="bar">
                  <meter
                    min={0}
                    max={offered}
                    value={count(key)}
                    aria-label={`${label} of offered`}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {failures.length > 0 && (
        <>
          <h3>Failures by code</h3>
          <ul className="rollout-failures">
            {failures.map(({ code, macs }) => (
              <li key={code} data-code={code}>
                <span className="mono">{code}</span>: {macs === 1 ? '1 Mac' : `${macs} Macs`}.
                {isErrorCode(code) && <span className="hint"> {ERROR_SENTENCES[code]}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      <TimeToVmFacts time={timeToVm} />
    </li>
  );
}

function TimeToVmFacts({ time }: { readonly time: TimeToVm | null }) {
  if (!time) return null;
  return (
    <>
      <h3>Time to VM</h3>
      <p className="hint">
        From a Mac’s first invitation to its registered VM, over{' '}
        {time.samples === 1 ? '1 Mac' : `${time.samples} Macs`}.
      </p>
      <dl className="facts rollout-times">
        <dt>Median (p50)</dt>
        <dd>{duration(time.p50Ms)}</dd>
        <dt>p90</dt>
        <dd>{duration(time.p90Ms)}</dd>
        <dt>p99</dt>
        <dd>{duration(time.p99Ms)}</dd>
      </dl>
    </>
  );
}

/** A duration the way an admin reads it: `850 ms`, `42 s`, `12 min 5 s`, `2 h 3 min`. */
export function duration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1_000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}
