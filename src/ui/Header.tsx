import { BackendBadge } from './BackendBadge';

export function Header() {
  return (
    <header className="header">
      <h1 className="brand">BERT Studio</h1>
      <BackendBadge />
    </header>
  );
}
