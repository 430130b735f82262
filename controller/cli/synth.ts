import { App } from 'cdktf';
import { synthesize } from '../../environments/synth.js';
import { DEFAULT_ENV_DIR } from '../../environments/load.js';
import { stringFlag, type Command } from './command.js';

export const synthCommand: Command = {
  name: 'synth',
  summary: 'synthesize every stack (or one environment) into cdktf.out/',
  usage: `Options:
  --env ENV   only this environment (default: all)
  --dir DIR   directory of environment files (default: ${DEFAULT_ENV_DIR})
  --out DIR   output directory (default: cdktf.out)`,
  options: { env: { type: 'string' }, dir: { type: 'string' }, out: { type: 'string' } },
  async run(args, io) {
    const env = stringFlag(args, 'env');
    const outdir = stringFlag(args, 'out') ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out';
    const started = performance.now();
    const stacks = synthesize(new App({ outdir }), { envDir: stringFlag(args, 'dir'), only: env ? [env] : undefined });
    const ms = Math.round(performance.now() - started);
    io.out(`synthesized ${stacks.length} stacks into ${outdir}/stacks in ${ms} ms`);
    return 0;
  },
};
