import { ErrorAlert } from '../ui/ErrorAlert';
import { Header } from '../ui/Header';
import { StepNav } from '../ui/StepNav';
import { StepPanel } from '../ui/StepPanel';
import { useActiveStep } from '../ui/hooks/useActiveStep';
import { useBackendStartup } from '../ui/hooks/useBackendStartup';
import { usePreloadCharts } from '../ui/hooks/usePreloadCharts';
import { useTheme } from '../ui/hooks/useTheme';

export function App() {
  useBackendStartup();
  usePreloadCharts();
  useTheme();
  const step = useActiveStep();
  return (
    <div className="app">
      <Header />
      <main className="main">
        <ErrorAlert place="engine" />
        <StepNav active={step} />
        <StepPanel step={step} />
      </main>
    </div>
  );
}
