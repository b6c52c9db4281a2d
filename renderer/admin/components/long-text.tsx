import { useState } from 'react';

// Words this long are links, paths or checksums: they may wrap anywhere, other words never.
const LONG_TOKEN = /(\S{28,})/;

/** A sentence whose long tokens (links, checksums) wrap inside themselves, not past the card. */
export function LongText({ text }: { readonly text: string }) {
  return (
    <>
      {text.split(LONG_TOKEN).map((part, index) =>
        index % 2 === 1 ? (
          <span key={index} className="long-token">
            {part}
          </span>
        ) : (
          part
        ),
      )}
    </>
  );
}

/** Props of a value shown shortened, with the whole of it a click away. */
export interface ShortValueProps {
  /** Names the value for the Copy button: "Apple silicon checksum". */
  readonly label: string;
  readonly value: string;
  readonly shown: string;
  readonly className: string;
}

/**
 * A link or checksum too long for a card: shown shortened on one line (never broken mid-token),
 * the whole value in its tooltip and on the clipboard with Copy.
 */
export function ShortValue({ label, value, shown, className }: ShortValueProps) {
  const [copied, setCopied] = useState(false);
  const copy = (): void => {
    void navigator.clipboard?.writeText(value).then(() => setCopied(true));
  };
  return (
    <span className="short-value">
      <code className={`token ${className}`} title={value}>
        {shown}
      </code>
      <button type="button" className="copy" onClick={copy} aria-label={`Copy the ${label}`}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </span>
  );
}

/** The hex digits of a checksum shortened as "63a9f0e1c2d3…706b"; other text as it is. */
export function shortHash(checksum: string): { readonly hex: string; readonly shown: string } {
  const hex = /[0-9a-f]{64}/i.exec(checksum)?.[0];
  return hex
    ? { hex, shown: `${hex.slice(0, 12)}…${hex.slice(-4)}` }
    : { hex: checksum, shown: checksum };
}

/**
 * A long link shortened to what tells images apart: "files.acme.example/…/fin.pvmp", or only
 * "…/fin.pvmp" when the host would push the file name out of sight.
 */
export function shortLink(url: string): string {
  if (url.length <= 48) return url;
  const file = url.split(/[?#]/)[0]!.split('/').at(-1) ?? '';
  const host = URL.parse(url)?.host;
  const withHost = host ? `${host}/…/${file}` : '';
  return withHost !== '' && withHost.length <= 48 ? withHost : `…/${file}`;
}
