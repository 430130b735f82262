// `npm run bench [-- <suite>...]`: runs the benchmark suites and prints their tables.
// Each suite measures its baseline in the same run, so ratios compare like with like.
const suites: Record<string, () => Promise<{ run: () => unknown }>> = {
  synth: () => import('./synth.js'),
  'comment-render': () => import('./comment-render.js'),
  'webhook-ack': () => import('./webhook-ack.js'),
  replicas: () => import('./replicas.js'),
  'yaml-limits': () => import('./yaml-limits.js'),
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(w in suites));
if (unknown.length > 0) {
  console.error(`bench: unknown suite ${unknown.join(', ')} (allowed: ${Object.keys(suites).join(', ')})`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : Object.keys(suites)) {
  const suite = await suites[name]();
  await suite.run();
}
