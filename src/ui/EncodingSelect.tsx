import { useStudio } from '../store';
import type { EncodingChoice } from '../train/protocol';
import { SelectField } from './Field';

const ENCODINGS: { value: EncodingChoice; label: string }[] = [
  { value: 'auto', label: 'Auto-detect' },
  { value: 'utf-8', label: 'UTF-8' },
  { value: 'windows-1252', label: 'Windows-1252' },
  { value: 'latin-1', label: 'Latin-1 (ISO-8859-1)' },
];

const HELP: Record<EncodingChoice, string> = {
  auto: 'UTF-8, or Windows-1252 when the file is not valid UTF-8.',
  'utf-8': 'Bytes that are not UTF-8 become "\uFFFD" (counted in the warnings).',
  'windows-1252': 'Western European Windows files (curly quotes, €, … at bytes 0x80–0x9F).',
  'latin-1': 'ISO-8859-1: bytes 0x80–0x9F are control characters, not punctuation.',
};

/** How the file's bytes become text; another choice reads the file again (mapping kept). */
export function EncodingSelect() {
  const choice = useStudio((s) => s.dataset.summary?.encodingChoice ?? 'auto');
  const rereading = useStudio((s) => s.dataset.rereading);
  const format = useStudio((s) => s.dataset.summary?.format);
  const setEncoding = useStudio((s) => s.setEncoding);
  // CoNLL and SQuAD JSON are read as UTF-8 by their own readers.
  if (format === 'conll' || format === 'squad-json') return null;
  return (
    <div className="grid-3">
      <SelectField
        label="File encoding"
        help={rereading ? 'Reading the file again…' : HELP[choice]}
        value={choice}
        options={ENCODINGS}
        onChange={setEncoding}
      />
    </div>
  );
}
