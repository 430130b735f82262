// The CDKTF app (`app` in cdktf.json). `gitops synth` runs the same code in-process.
import { App } from 'cdktf';
import { synthesize } from './synth.js';

synthesize(new App());
