import { useShallow } from 'zustand/react/shallow';
import { selectStepInputs, STEP_TITLES, STEPS, stepAvailable, stepBlocker, useStudio } from '../store';

/** The step tabs; a step opens once its inputs exist, and says what is missing until then. */
export function StepNav({ active }: { active: string }) {
  const inputs = useStudio(useShallow(selectStepInputs));
  const setStep = useStudio((s) => s.setStep);
  return (
    <nav className="steps" aria-label="Steps">
      <div role="tablist" aria-label="Studio steps" className="steps-list">
        {STEPS.map((step, i) => {
          const open = stepAvailable(step, inputs);
          return (
            <button
              key={step}
              type="button"
              role="tab"
              id={`tab-${step}`}
              aria-controls={`panel-${step}`}
              aria-selected={active === step}
              className="step-tab"
              disabled={!open}
              title={stepBlocker(step, inputs) ?? undefined}
              onClick={() => setStep(step)}
            >
              <span className="step-num" aria-hidden="true">
                {i + 1}
              </span>
              {STEP_TITLES[step]}
            </button>
          );
        })}
      </div>
    </nav>
  );
}
