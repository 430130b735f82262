// Language runtimes and versions Linux Function Apps support (Functions host ~4).
export const FUNCTION_RUNTIMES = {
  node: ['20', '22'],
  python: ['3.10', '3.11', '3.12'],
  'dotnet-isolated': ['8.0', '9.0'],
  java: ['17', '21'],
  powershell: ['7.4'],
} as const;
export type FunctionRuntime = keyof typeof FUNCTION_RUNTIMES;
