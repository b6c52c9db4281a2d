/** What a change did: in a success style, or a warning's when it left something to do. */
export interface Notice {
  readonly text: string;
  readonly warning?: boolean;
}

/** A change that worked, announced politely; green, not a warning's yellow, unless it warns. */
export function SavedNotice({ notice }: { readonly notice: Notice | null }) {
  if (!notice) return null;
  return (
    <p role="status" className={`notice ${notice.warning ? 'warning' : 'success'}`}>
      {notice.text}
    </p>
  );
}
