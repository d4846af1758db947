// Registry of CLI commands; each returns the process exit code.
export type Command = (args: string[]) => Promise<number>;

export const commands: Record<string, Command> = {};
