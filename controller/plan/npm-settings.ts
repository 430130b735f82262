// npm's settings the dependency install needs on this machine (registry, proxy, CA file, node headers),
// taken from the machine's npm configuration and from the repository's .npmrc, and written into the
// install's own directory. Only the settings named here are carried: never a token, password or `_auth`,
// and never a host path a repository names (a pull request could otherwise have the controller copy a
// file of its choosing into the sandbox).
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { runCommand } from '../process/run.js';

/** The settings carried into the install: where packages come from and how to reach it. */
export const CARRIED_SETTINGS: readonly string[] = ['registry', 'proxy', 'https-proxy', 'noproxy', 'strict-ssl', 'cafile', 'nodedir'];
/** `@scope:registry`: a scope's own registry. */
const SCOPED_REGISTRY = /^@[a-z0-9][a-z0-9._-]*:registry$/;
/** Settings whose value is a path on the host: used from the machine's configuration only. */
export const HOST_PATH_SETTINGS: readonly string[] = ['cafile', 'nodedir'];
/** Never carried, whatever the setting is called. */
const CREDENTIAL = /token|password|passwd|_auth|secret|credential|cert|key/i;
/** The largest CA file copied into the install. */
const CA_FILE_LIMIT = 4 * 1024 * 1024;

export type NpmSettings = Readonly<Record<string, string>>;

/** The `key=value` lines of an .npmrc; comments, sections and array entries are left out. */
export function parseNpmrc(text: string): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#') || line.startsWith('[')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    if (key.endsWith('[]')) continue;
    settings[key] = line
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .replace(/^'(.*)'$/, '$1');
  }
  return settings;
}

function carriedValue(key: string, value: unknown, from: 'machine' | 'repository'): string | undefined {
  if (!CARRIED_SETTINGS.includes(key) && !SCOPED_REGISTRY.test(key)) return undefined;
  if (CREDENTIAL.test(key)) return undefined;
  if (from === 'repository' && HOST_PATH_SETTINGS.includes(key)) return undefined;
  // npm reports noproxy as a list
  const listed = Array.isArray(value) && value.every((v) => typeof v === 'string') ? value.filter(Boolean).join(',') : value;
  if (typeof listed !== 'string' && typeof listed !== 'boolean' && typeof listed !== 'number') return undefined;
  const text = String(listed);
  // npm expands ${VAR} from its environment; a line break would start a setting of the value's choosing.
  if (text === '' || /[\r\n\0]/.test(text) || text.includes('${')) return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    try {
      const url = new URL(text);
      if (url.username !== '' || url.password !== '') return undefined; // a proxy or registry URL with credentials
    } catch {
      return undefined;
    }
  }
  return text;
}

/** The carried settings of `settings` (parsed .npmrc, or `npm config list --json`), nothing else. */
export function carriedSettings(settings: Readonly<Record<string, unknown>>, from: 'machine' | 'repository'): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(settings)) {
    const text = carriedValue(key, value, from);
    if (text !== undefined) kept[key] = text;
  }
  return kept;
}

/** An .npmrc holding `settings`. */
export function renderNpmrc(settings: NpmSettings): string {
  return Object.entries(settings)
    .map(([key, value]) => `${key}=${value}\n`)
    .join('');
}

/** Whether `command` is npm (only then is the machine's npm configuration read). */
export function isNpm(command: string): boolean {
  return basename(command) === 'npm';
}

/**
 * The machine's carried npm settings, as `npm config list --json` reports them (builtin, global and user
 * configuration and `npm_config_*` variables), read with only the variables npm's configuration needs.
 */
export async function readMachineNpmSettings(
  npm: string,
  cwd: string,
  from: NodeJS.ProcessEnv = process.env,
): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(from)) {
    if (value !== undefined && (['PATH', 'HOME'].includes(name) || /^npm_config_/i.test(name))) env[name] = value;
  }
  const result = await runCommand(npm, ['config', 'list', '--json'], { cwd, env, timeoutMs: 60_000, stdoutLimit: 1024 * 1024 });
  if (result.exitCode !== 0)
    throw new Error(`npm config list --json exited with ${result.exitCode}: ${result.log.trim().split('\n').at(-1)}`);
  return carriedSettings(JSON.parse(result.stdout) as Record<string, unknown>, 'machine');
}

/** The bytes of the machine's CA file, for a copy inside the install (the sandbox sees few host paths); undefined when unreadable or too large. */
export function readCaFile(path: string): Buffer | undefined {
  try {
    if (statSync(path).size > CA_FILE_LIMIT) return undefined;
    return readFileSync(path);
  } catch {
    return undefined;
  }
}
