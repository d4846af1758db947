import { BackendBadge } from './BackendBadge';
import { ThemeToggle } from './ThemeToggle';

export function Header() {
  return (
    <header className="header">
      <h1 className="brand">BERT Studio</h1>
      <div className="header-tools">
        <BackendBadge />
        <ThemeToggle />
      </div>
    </header>
  );
}
