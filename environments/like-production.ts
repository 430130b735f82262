// Seed 001: UAT is "like to like" with production. A staging environment runs the same components as
// each production environment, at smaller sizes; where it leaves one out, its file says so and why in
// `differsFromProduction`. This check keeps that list true in both directions: a component production
// has and staging silently lacks is a problem, and so is a listed difference that no longer differs.
import type { SystemName } from '../modules/systems/settings.js';
import type { ConfigProblem, ParsedEnvironment } from './config.js';

/**
 * The knobs that add or remove a component (a second region, a VPN, a CDN, private endpoints...), per
 * system. Sizes (task counts, instance classes, SKUs, retention) may differ freely and are not listed.
 */
export const COMPONENT_KNOBS: { readonly [S in SystemName]: readonly string[] } = {
  ingest: ['dr', 'multiAz', 'natGateways', 'hybrid.mode', 'authorizer'],
  imaging: ['dr', 'multiAz', 'natGateways', 'cdn', 'globalAccelerator'],
  agri: ['dr', 'multiAz', 'natGateways', 'hybrid', 'farm.mode', 'dataSync.enabled', 'observability.prometheus', 'observability.grafana'],
  payments: ['dr', 'multiAz', 'natGateways', 'database.engine'],
  commerce: ['dr', 'multiAz', 'natGateways', 'privateLink'],
  controller: ['dr', 'multiAz', 'natGateways'],
};

function valueAt(settings: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), settings);
}

/** Problems of every staging environment measured against every production one. */
export function likeProductionProblems(parsed: readonly ParsedEnvironment[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const production = parsed.filter((p) => p.environment.tier === 'production');
  for (const p of parsed) {
    const listed = p.environment.differsFromProduction ?? {};
    if (p.environment.tier !== 'staging') {
      if (Object.keys(listed).length > 0) {
        problems.push({
          file: p.file,
          path: 'differsFromProduction',
          message: `is only for a staging environment (tier is ${p.environment.tier})`,
        });
      }
      continue;
    }
    const used = new Set<string>();
    for (const prod of production) {
      for (const [system, prodSettings] of Object.entries(prod.environment.systems) as [SystemName, unknown][]) {
        if (prodSettings === undefined) continue;
        const stagingSettings = p.environment.systems[system];
        if (stagingSettings === undefined) {
          used.add(system);
          if (listed[system] === undefined) {
            problems.push({
              file: p.file,
              path: `systems.${system}`,
              message: `is missing, but ${prod.file} runs it: add it, or say why under differsFromProduction.${system}`,
            });
          }
          continue;
        }
        for (const knob of COMPONENT_KNOBS[system]) {
          const [want, got] = [valueAt(prodSettings, knob), valueAt(stagingSettings, knob)];
          if (JSON.stringify(want) === JSON.stringify(got)) continue;
          const key = `${system}.${knob}`;
          used.add(key);
          if (listed[key] === undefined && listed[system] === undefined) {
            problems.push({
              file: p.file,
              path: `systems.${key}`,
              message: `is ${JSON.stringify(got)} where ${prod.file} has ${JSON.stringify(want)}: make it the same, or say why under differsFromProduction.${key}`,
            });
          }
        }
      }
    }
    for (const key of Object.keys(listed)) {
      if (!used.has(key) && production.length > 0) {
        problems.push({
          file: p.file,
          path: `differsFromProduction.${key}`,
          message: `lists a difference there is none of (allowed: a component knob or system that differs from ${production.map((q) => q.file).join(', ')})`,
        });
      }
    }
  }
  return problems;
}
