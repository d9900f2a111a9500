/** One `backie` command. `run` returns the exit code; -1 keeps the process alive (watch, worker). */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}
