import { useShallow } from 'zustand/react/shallow';
import { selectStepInputs, stepAvailable, useStudio, type StepId } from '../../store';

/** The chosen step, or Data when the chosen one is not reachable yet (e.g. right after a reload). */
export function useActiveStep(): StepId {
  const step = useStudio((s) => s.ui.step);
  const inputs = useStudio(useShallow(selectStepInputs));
  return stepAvailable(step, inputs) ? step : 'data';
}
