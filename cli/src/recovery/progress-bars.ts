import cliProgress from 'cli-progress';

/** One step of a recovery command, shown as a bar on stderr (a line per finished step when stderr is no terminal). */
export interface ProgressStep {
  increment(by?: number): void;
  setTotal(total: number): void;
  done(summary?: string): void;
}

export interface Progress {
  step(name: string, total: number, unit?: string): ProgressStep;
  /** A line of the command's log, timestamped (above the bars on a terminal). */
  note(line: string): void;
  stop(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = stream.isTTY === true;
  const bars = new cliProgress.MultiBar(
    {
      stream,
      format: ' {task} |{bar}| {value}/{total} {unit} {eta_formatted}',
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    step(name, total, unit = '') {
      const task = name.padEnd(26);
      const bar = tty ? bars.create(Math.max(total, 1), 0, { task, unit }) : undefined;
      let value = 0;
      let max = total;
      return {
        increment(by = 1) {
          value += by;
          bar?.increment(by);
        },
        setTotal(t) {
          max = t;
          bar?.setTotal(Math.max(t, 1));
        },
        done(summary) {
          if (bar) {
            bar.update(Math.max(value, max));
            if (summary) bar.update({ unit: `${unit} ${summary}` });
          } else {
            stream.write(`${name}: ${value}/${max} ${unit}${summary ? ` ${summary}` : ''}\n`);
          }
        },
      };
    },
    note(line) {
      const text = `${new Date().toISOString()} ${line}\n`;
      if (tty) bars.log(text);
      else stream.write(text);
    },
    stop: () => bars.stop(),
  };
}
