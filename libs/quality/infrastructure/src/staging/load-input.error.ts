/** Input the loader cannot take, with the file and (where known) the line, in words a user can act on. */
export class LoadInputError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line?: number,
  ) {
    super(`${file}${line !== undefined ? ` line ${line}` : ''}: ${reason}`);
    this.name = 'LoadInputError';
  }
}
