// Which step is open, the colour theme, and worker errors placed next to the step they belong to.
import type { ErrorPlace, StepId } from './steps';
import type { SliceCreator } from './types';

export type ThemeChoice = 'system' | 'light' | 'dark';

export interface UiState {
  step: StepId;
  theme: ThemeChoice;
  errors: Partial<Record<ErrorPlace, string>>;
}

export interface UiSlice {
  ui: UiState;
  setStep: (step: StepId) => void;
  setTheme: (theme: ThemeChoice) => void;
  setError: (place: ErrorPlace, message: string | null) => void;
}

export const createUiSlice: SliceCreator<UiSlice> = (set) => ({
  ui: { step: 'data', theme: 'system', errors: {} },
  setStep: (step) => set((s) => ({ ui: { ...s.ui, step } })),
  setTheme: (theme) => set((s) => ({ ui: { ...s.ui, theme } })),
  setError: (place, message) =>
    set((s) => {
      const errors = { ...s.ui.errors };
      if (message === null) delete errors[place];
      else errors[place] = message;
      return { ui: { ...s.ui, errors } };
    }),
});
