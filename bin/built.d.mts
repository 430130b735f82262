/** dist/controller/cli.js under root when it exists and is at least as new as every source; else undefined. */
export function builtCli(root: string): string | undefined;
