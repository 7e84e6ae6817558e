/** One environment variable that failed validation. */
export interface ConfigProblem {
  readonly variable: string;
  readonly message: string;
}

/** Raised at boot when the environment does not describe a runnable service. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}
