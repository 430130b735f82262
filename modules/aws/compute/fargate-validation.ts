// Fargate-specific prop checks: task sizes Fargate accepts, pinned image references, secret ARNs,
// and the ECR repository an image comes from.
import { Token } from 'cdktf';
import type { PropProblems } from '../../core/validation.js';

/** Memory (MiB) Fargate accepts for each CPU size: [min, max, step]. */
const FARGATE_MEMORY: Readonly<Record<number, readonly [number, number, number]>> = {
  256: [512, 2048, 512],
  512: [1024, 4096, 1024],
  1024: [2048, 8192, 1024],
  2048: [4096, 16384, 1024],
  4096: [8192, 30720, 1024],
  8192: [16384, 61440, 4096],
  16384: [32768, 122880, 8192],
};

/** Checks cpu/memory against Fargate's supported combinations. */
export function checkFargateSize(p: PropProblems, cpu: number, memory: number): void {
  if (Token.isUnresolved(cpu) || Token.isUnresolved(memory)) return;
  const range = FARGATE_MEMORY[cpu];
  if (!range) {
    p.check(false, `cpu must be one of ${Object.keys(FARGATE_MEMORY).join(', ')} (got ${cpu})`);
    return;
  }
  const [min, max, step] = range;
  // 256 CPU takes 512, 1024 or 2048; the rest are multiples of the step from the minimum.
  const ok = cpu === 256 ? [512, 1024, 2048].includes(memory) : memory >= min && memory <= max && (memory - min) % step === 0;
  p.check(ok, `memory must be ${cpu === 256 ? '512, 1024 or 2048' : `${min}-${max} in steps of ${step}`} for cpu ${cpu} (got ${memory})`);
}

/** `[registry/]repository(:tag|@sha256:digest)`, with a tag other than `latest` or a digest. */
export const IMAGE_REFERENCE = /^([a-z0-9.-]+(:\d+)?\/)?[a-z0-9]+([._/-][a-z0-9]+)*(:(?!latest$)[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})$/;

/** A Secrets Manager ARN, optionally with ECS's `:<json-key>:<version-stage>:<version-id>` suffix. */
export const SECRET_REFERENCE = /^arn:aws(-cn|-us-gov)?:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+(:[^:]*:[^:]*:[^:]*)?$/;

/** The secret's own ARN (IAM grants on it), without ECS's JSON-key suffix, also after a token (`${secret.arn}:password::`). */
export function secretArnOf(reference: string): string {
  if (Token.isUnresolved(reference)) return /^(.*\})(:[^:}]*:[^:}]*:[^:}]*)$/.exec(reference)?.[1] ?? reference;
  return reference.split(':').slice(0, 7).join(':');
}

const ECR_IMAGE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/([^:@]+)[:@]/;

/** The repository ARN of a literal ECR image URI, or undefined for other registries. */
export function ecrRepositoryArn(image: string): string | undefined {
  const m = ECR_IMAGE.exec(image);
  if (!m) return undefined;
  const [, account, region, china, repository] = m;
  const partition = china ? 'aws-cn' : region!.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return `arn:${partition}:ecr:${region}:${account}:repository/${repository}`;
}
