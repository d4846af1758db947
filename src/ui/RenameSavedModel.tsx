import { useState } from 'react';
import { useStudio } from '../store';

/** Inline rename of one saved model: a button that turns into a labelled text field. */
export function RenameSavedModel({ id, name, disabled }: { id: string; name: string; disabled: boolean }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(name);
  if (!editing) {
    return (
      <button
        type="button"
        className="ghost"
        aria-label={`Rename saved model ${name}`}
        disabled={disabled}
        onClick={() => {
          setDraft(name);
          setEditing(true);
        }}
      >
        Rename
      </button>
    );
  }
  const trimmed = draft.trim();
  return (
    <form
      className="actions"
      onSubmit={(e) => {
        e.preventDefault();
        if (trimmed && trimmed !== name) useStudio.getState().renameSavedModel(id, trimmed);
        setEditing(false);
      }}
    >
      <label>
        New name for {name}
        <input value={draft} onChange={(e) => setDraft(e.target.value)} autoFocus />
      </label>
      <button type="submit" disabled={!trimmed}>
        Save name
      </button>
      <button type="button" className="ghost" onClick={() => setEditing(false)}>
        Cancel
      </button>
    </form>
  );
}
