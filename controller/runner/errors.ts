// Typed failures of a terraform run. `reason` is one clean line for comments and check runs;
// `logTail` keeps the end of the (redacted) log for the operator.

export type TerraformStage = 'init' | 'plan' | 'show' | 'apply';

export class TerraformError extends Error {
  constructor(
    readonly stackName: string,
    readonly stage: TerraformStage,
    readonly reason: string,
    readonly exitCode: number | null,
    readonly logTail: string,
  ) {
    super(`terraform ${stage} failed for stack ${stackName}: ${reason}`);
    this.name = 'TerraformError';
  }
}

/** `terraform init` failed: typically providers or modules cannot be installed (offline), or the backend is unreachable. */
export class TerraformInitError extends TerraformError {
  override name = 'TerraformInitError';
}

export class TerraformPlanError extends TerraformError {
  override name = 'TerraformPlanError';
}

export class TerraformApplyError extends TerraformError {
  override name = 'TerraformApplyError';
}

/** The command ran longer than the runner's timeout and was stopped. */
export class TerraformTimeoutError extends TerraformError {
  override name = 'TerraformTimeoutError';
}

/** The run was cancelled through its AbortSignal (e.g. a newer push superseded the plan). */
export class TerraformAbortedError extends TerraformError {
  override name = 'TerraformAbortedError';
}

/** The first `Error: ...` diagnostic of a terraform log, on one line. */
export function firstDiagnostic(log: string): string | undefined {
  const lines = log.split('\n').map((l) => l.replace(/^[│╷╵\s]+/, '').trimEnd());
  const i = lines.findIndex((l) => l.startsWith('Error: '));
  if (i < 0) return undefined;
  const detail = lines.slice(i + 1).find((l) => l.trim() !== '' && !l.startsWith('on ') && !l.startsWith('with '));
  const head = lines[i].slice('Error: '.length);
  return detail ? `${head}: ${detail.trim()}` : head;
}
