// A Function App's deployment package in the Node.js v3 programming model, which needs no npm
// package: host.json at the root, and per function a folder with function.json (its trigger and
// bindings) and index.js (its TypeScript entry bundled, exporting `run`). Built at synth into a
// deterministic zip, so the same code gives the same bytes and a code change a new hash.
import { functionPackage, type FunctionPackage, type PackageFile } from '../../core/function-package.js';

/** One binding of function.json: `type`, `direction` and `name`, and the binding's own settings. */
export interface FunctionBinding {
  /** e.g. `serviceBusTrigger`, `httpTrigger`, `serviceBus`, `sql`, `blob`, `http`. */
  readonly type: string;
  readonly direction: 'in' | 'out' | 'inout';
  /** The parameter (trigger) or `context.bindings` key (output) the code uses. */
  readonly name: string;
  readonly [setting: string]: string | number | boolean | readonly string[];
}

/** A function of the app: its TypeScript entry (exporting `run`) and its bindings, one of them a trigger. */
export interface FunctionCode {
  readonly entry: string;
  readonly bindings: readonly FunctionBinding[];
}

/** Functions host settings: bindings from extension bundle 4 (Service Bus, SQL, Blob need no install). */
export const HOST_JSON = {
  version: '2.0',
  extensionBundle: { id: 'Microsoft.Azure.Functions.ExtensionBundle', version: '[4.*, 5.0.0)' },
  logging: { applicationInsights: { samplingSettings: { isEnabled: true, excludedTypes: 'Request' } } },
};

const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,126}$/;

/** Every problem of the functions, naming the function and binding: names, one trigger each, unique binding names. */
export function functionCodeProblems(functions: Readonly<Record<string, FunctionCode>>): string[] {
  const problems: string[] = [];
  if (Object.keys(functions).length === 0) problems.push('functions must name at least one function (or be unset for an empty app)');
  for (const [name, fn] of Object.entries(functions)) {
    const at = `functions.${name}`;
    if (!FUNCTION_NAME.test(name)) problems.push(`${at}: names must start with a letter, then up to 126 letters, digits, "_" or "-"`);
    const triggers = fn.bindings.filter((b) => b.direction === 'in' && b.type.endsWith('Trigger'));
    if (triggers.length !== 1) {
      problems.push(`${at} must have exactly one trigger binding (got ${triggers.map((t) => t.type).join(', ') || 'none'})`);
    }
    const names = fn.bindings.map((b) => b.name);
    const repeated = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
    if (repeated.length > 0) problems.push(`${at}: binding names must be unique (repeated: ${repeated.join(', ')})`);
  }
  return problems;
}

/** The app's package, named `name`, built (or reused) at synth. */
export function functionAppPackage(name: string, functions: Readonly<Record<string, FunctionCode>>): FunctionPackage {
  const files: Record<string, PackageFile> = { 'host.json': `${JSON.stringify(HOST_JSON, null, 2)}\n` };
  for (const [fn, code] of Object.entries(functions)) {
    files[`${fn}/function.json`] = `${JSON.stringify({ bindings: code.bindings, scriptFile: 'index.js', entryPoint: 'run' }, null, 2)}\n`;
    files[`${fn}/index.js`] = { bundle: code.entry };
  }
  return functionPackage({ name, files });
}
