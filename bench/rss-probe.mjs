// Loaded into every node process of a benchmarked command (NODE_OPTIONS=--import): appends the
// process's peak RSS (KiB) to $GITOPS_BENCH_RSS_FILE when it exits.
import { appendFileSync } from 'node:fs';

const file = process.env.GITOPS_BENCH_RSS_FILE;
if (file) process.on('exit', () => appendFileSync(file, `${process.pid} ${process.resourceUsage().maxRSS}\n`));
