// Registry of CLI commands; each returns the process exit code. Commands load lazily so that
// `tokenize` or `inspect` do not pay for starting tfjs.
export type Command = (args: string[]) => Promise<number>;

export const commands: Record<string, Command> = {
  tokenize: async (a) => (await import('./tokenize')).tokenize(a),
  inspect: async (a) => (await import('./inspect')).inspect(a),
  infer: async (a) => (await import('./infer')).infer(a),
  train: async (a) => (await import('./train')).trainCommand(a),
  eval: async (a) => (await import('./eval')).evalCommand(a),
  embed: async (a) => (await import('./embed')).embedCommand(a),
};
