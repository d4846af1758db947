import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../shared';

// The dependency direction of STYLE.md is enforced by ESLint; these cases prove the rules bite.
const eslint = new ESLint({ cwd: REPO_ROOT });

async function restrictedMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${REPO_ROOT}/${filePath}` });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('dependency direction', () => {
  it.each([
    ['src/tokenizer/x.ts', "import * as tf from '@tensorflow/tfjs';\nexport const a = tf;\n", 'tfjs'],
    ['src/data/x.ts', "import * as tf from '@tensorflow/tfjs';\nexport const a = tf;\n", 'tfjs'],
    ['src/model/x.ts', "import { useState } from 'react';\nexport const a = useState;\n", 'React'],
    ['src/lib/x.ts', "import { create } from 'zustand';\nexport const a = create;\n", 'zustand'],
    ['src/model/x.ts', "import { useStudio } from '../store';\nexport const a = useStudio;\n", 'ui or store'],
    ['src/ui/X.tsx', "import { selectBackend } from '../model/backend';\nexport const a = selectBackend;\n", 'model'],
    ['src/ui/X.tsx', "import { TrainerClient } from '../train/client';\nexport const a = TrainerClient;\n", 'worker'],
    ['src/ui/X.tsx', "import { LineChart } from 'recharts';\nexport const a = LineChart;\n", 'charts'],
    ['src/ui/charts/X.tsx', "import { LineChart } from 'recharts';\nexport const a = LineChart;\n", 'charts'],
    ['src/ui/charts/X.tsx', "import { LossPlot } from './plots/LossPlot';\nexport const a = LossPlot;\n", 'lazily'],
    ['src/ui/X.tsx', "import { LossPlot } from './charts/plots/LossPlot';\nexport const a = LossPlot;\n", 'lazily'],
  ])('%s may not import that (%s)', async (file, code, word) => {
    const msgs = await restrictedMessages(file, code);
    expect(msgs.length).toBe(1);
    expect(msgs[0]).toContain(word);
  });

  it('allowed imports pass', async () => {
    expect(
      await restrictedMessages('src/model/x.ts', "import * as tf from '@tensorflow/tfjs';\nexport const a = tf;\n"),
    ).toEqual([]);
    expect(
      await restrictedMessages('src/ui/X.tsx', "import { useStudio } from '../store';\nexport const a = useStudio;\n"),
    ).toEqual([]);
    expect(
      await restrictedMessages(
        'src/ui/charts/plots/X.tsx',
        "import { LineChart } from 'recharts';\nexport const a = LineChart;\n",
      ),
    ).toEqual([]);
  });
});
