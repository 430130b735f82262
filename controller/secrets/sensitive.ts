// Which values of a synthesized configuration are secret. A synth carries no provider schema, so the
// providers' sensitive attributes come from a table generated from their schemas (sensitive-attributes.json,
// scripts/sensitive-attributes.ts); names that look secret, environment variables and app settings are
// masked as well, since the providers leave those in clear but they are where secrets end up.
import table from './sensitive-attributes.json' with { type: 'json' };

export type BlockKind = 'resource' | 'data' | 'module';

/** Attribute or map key names that look secret, matched on each part of a path. */
export const SECRET_NAME =
  /(^|_)(password|passwd|secret|token|private_key|access_key|secret_key|api_key|connection_string|credentials?)($|_)/i;

/** Maps whose every value is masked (their keys stay visible): environment variables and application settings. */
const VALUE_MAPS: Readonly<Record<string, readonly string[]>> = {
  aws_lambda_function: ['environment.variables'],
  ...Object.fromEntries(
    [
      'azurerm_function_app_flex_consumption',
      'azurerm_linux_function_app',
      'azurerm_linux_function_app_slot',
      'azurerm_linux_web_app',
      'azurerm_linux_web_app_slot',
      'azurerm_windows_function_app',
      'azurerm_windows_function_app_slot',
      'azurerm_windows_web_app',
      'azurerm_windows_web_app_slot',
    ].map((type) => [type, ['app_settings']]),
  ),
};

const SENSITIVE_ATTRIBUTES: Readonly<Record<'resource' | 'data', Readonly<Record<string, readonly string[]>>>> = {
  resource: table.resource,
  data: table.data,
};

/** `a[0].b.c[1]` → `['a', 'b', 'c']`: the table names attributes and blocks, not list items. */
export const pathParts = (path: string): string[] => path.replace(/\[\d+\]/g, '').split('.');

const startsWith = (parts: readonly string[], prefix: string) => {
  const wanted = prefix.split('.');
  return wanted.length <= parts.length && wanted.every((w, i) => parts[i] === w);
};

/** The path (or a block above it) has a name that looks secret. */
export const hasSecretName = (path: string): boolean => pathParts(path).some((part) => SECRET_NAME.test(part));

/** The attributes of `type` its provider marks sensitive (`block.attribute` for nested ones). */
export const sensitiveAttributes = (kind: BlockKind, type: string): readonly string[] =>
  kind === 'module' ? [] : (SENSITIVE_ATTRIBUTES[kind][type] ?? []);

/** Whether the value at `path` (within one resource, data source or module call) must be masked. */
export function isSensitiveAttribute(kind: BlockKind, type: string, path: string): boolean {
  const parts = pathParts(path);
  if (parts.some((part) => SECRET_NAME.test(part))) return true;
  if (sensitiveAttributes(kind, type).some((attribute) => startsWith(parts, attribute))) return true;
  return kind === 'resource' && (VALUE_MAPS[type] ?? []).some((map) => startsWith(parts, map));
}
