/**
 * Checks Prometheus text exposition format 0.0.4: HELP/TYPE lines, sample lines with a valid
 * metric name, well-formed labels and a numeric value. Returns the problems found (none = valid)
 * and the samples by metric name.
 */
export function parsePrometheusText(text: string): { problems: string[]; samples: Map<string, Sample[]> } {
  const problems: string[] = [];
  const samples = new Map<string, Sample[]>();
  const types = new Map<string, string>();
  const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
  const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\["\\\\n])*"`;
  const sampleLine = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*,?)?\\})? (\\S+)(?: (-?\\d+))?$`);
  const lines = text.split('\n');
  if (lines.at(-1) !== '') problems.push('does not end with a newline');
  lines.forEach((line, i) => {
    if (line === '') return;
    if (line.startsWith('# HELP ')) {
      if (!new RegExp(`^# HELP ${NAME} .*$`).test(line)) problems.push(`line ${i + 1}: malformed HELP`);
      return;
    }
    if (line.startsWith('# TYPE ')) {
      const m = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`).exec(line);
      if (!m) problems.push(`line ${i + 1}: malformed TYPE`);
      else if (types.has(m[1]!)) problems.push(`line ${i + 1}: second TYPE for ${m[1]}`);
      else types.set(m[1]!, m[2]!);
      return;
    }
    if (line.startsWith('#')) return;
    const m = sampleLine.exec(line);
    if (!m) return problems.push(`line ${i + 1}: not a sample: ${line.slice(0, 120)}`);
    const value = m[3]!;
    if (!/^(?:[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)|[-+]?Inf|NaN)$/.test(value)) {
      problems.push(`line ${i + 1}: value "${value}" is not a number`);
    }
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]));
    const list = samples.get(m[1]!) ?? [];
    list.push({ labels, value: Number(value.replace(/Inf$/, 'Infinity')) });
    samples.set(m[1]!, list);
  });
  return { problems, samples };
}

export interface Sample {
  readonly labels: Record<string, string>;
  readonly value: number;
}
