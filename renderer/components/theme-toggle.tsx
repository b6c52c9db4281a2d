import { useEffect, useState } from 'react';

/** The appearance the user chose; `system` follows the operating system's light or dark mode. */
export type ThemeChoice = 'system' | 'light' | 'dark';

const THEME_CHOICES: readonly { value: ThemeChoice; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

const STORAGE_KEY = 'provisim.theme';

function isThemeChoice(value: unknown): value is ThemeChoice {
  return value === 'system' || value === 'light' || value === 'dark';
}

function readStoredTheme(): ThemeChoice {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isThemeChoice(stored) ? stored : 'system';
  } catch {
    // Storage can be unavailable (privacy settings, opaque origins); the system theme is fine.
    return 'system';
  }
}

/** Sets `data-theme` on the root element, which the style sheet reads; `system` removes it. */
export function applyTheme(choice: ThemeChoice, root: HTMLElement = document.documentElement) {
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
}

/** The current theme choice, applied to the document and remembered across launches. */
export function useTheme(): [ThemeChoice, (choice: ThemeChoice) => void] {
  const [theme, setTheme] = useState<ThemeChoice>(readStoredTheme);
  useEffect(() => {
    applyTheme(theme);
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, theme);
    } catch {
      // Not remembering the choice is harmless.
    }
  }, [theme]);
  return [theme, setTheme];
}

/** Props of the theme switch. */
export interface ThemeToggleProps {
  readonly theme: ThemeChoice;
  readonly onChange: (theme: ThemeChoice) => void;
}

/** A labelled switch between the system, light and dark appearance. */
export function ThemeToggle({ theme, onChange }: ThemeToggleProps) {
  return (
    <div className="theme-toggle" role="group" aria-label="Appearance">
      {THEME_CHOICES.map((choice) => (
        <button
          key={choice.value}
          type="button"
          aria-pressed={theme === choice.value}
          className={theme === choice.value ? 'segment segment-on' : 'segment'}
          onClick={() => onChange(choice.value)}
        >
          {choice.label}
        </button>
      ))}
    </div>
  );
}
