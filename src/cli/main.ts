// Headless entry: `npm run -s cli -- <command> ...`. Each command lives in its own file.
import { commands } from './commands';

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const cmd = name === undefined ? undefined : commands[name];
  if (!cmd) {
    process.stderr.write(`usage: npm run -s cli -- <${Object.keys(commands).join('|')}> [options]\n`);
    return name === undefined || name === 'help' || name === '--help' ? 0 : 2;
  }
  return cmd(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
