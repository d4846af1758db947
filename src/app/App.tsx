import { Header } from '../ui/Header';
import { useBackendStartup } from '../ui/hooks/useBackendStartup';

export function App() {
  useBackendStartup();
  return (
    <div className="app">
      <Header />
      <main className="main">
        <section className="card" aria-label="Welcome">
          <h2>Fine-tune BERT in your browser</h2>
          <p>Your data never leaves this machine: the model trains in a Web Worker on this page.</p>
        </section>
      </main>
    </div>
  );
}
