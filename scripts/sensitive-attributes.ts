// Regenerates controller/secrets/sensitive-attributes.json, the attributes each resource type's provider marks
// sensitive, for the synth diff (which has the configuration but no provider schema):
//
//   npx tsx scripts/sensitive-attributes.ts            # fetches the Pulumi SDKs below with `npm pack`
//   npx tsx scripts/sensitive-attributes.ts <dir>      # or reads them unpacked from <dir>/aws, <dir>/azure
//
// The provider binaries (and so `terraform providers schema -json`) cannot be had offline, and the cdktf
// packages carry no sensitivity. Pulumi's SDKs are generated from the same Terraform schemas: an attribute
// Terraform marks Sensitive becomes a secret (`additionalSecretOutputs`, `pulumi.secret(args.x)`). So the
// table is read from there, and every type and attribute is checked against the cdktf packages we pin
// (their resource types and attribute names are the provider's, at our provider version); what does not
// match is printed and left out. Write-only arguments (`*_wo`), which the SDKs may omit, are taken from the
// cdktf packages. The SDKs only mark top-level attributes and say nothing of data sources: NESTED_AND_DATA
// below is kept by hand from the providers' documentation.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import prettier from 'prettier';

const ROOT = new URL('..', import.meta.url).pathname;
const OUT = join(ROOT, 'controller/secrets/sensitive-attributes.json');

interface Provider {
  /** Terraform type prefix. */
  readonly prefix: string;
  readonly cdktfPackage: string;
  readonly pulumiPackage: string;
  readonly pulumiVersion: string;
  /** Pulumi's token prefix (`aws:`, `azure:`) and the folder the SDK is unpacked in. */
  readonly pulumiName: string;
}

const PROVIDERS: readonly Provider[] = [
  { prefix: 'aws_', cdktfPackage: '@cdktf/provider-aws', pulumiPackage: '@pulumi/aws', pulumiVersion: '7.48.0', pulumiName: 'aws' },
  {
    prefix: 'azurerm_',
    cdktfPackage: '@cdktf/provider-azurerm',
    pulumiPackage: '@pulumi/azure',
    pulumiVersion: '6.40.0',
    pulumiName: 'azure',
  },
];

/** Sensitive attributes the SDKs cannot tell: nested ones (`block.attribute`) and data source arguments. */
const NESTED_AND_DATA: { resource: Record<string, string[]>; data: Record<string, string[]> } = {
  resource: {
    aws_lb_listener: ['default_action.authenticate_oidc.client_secret'],
    aws_lb_listener_rule: ['action.authenticate_oidc.client_secret'],
    aws_mq_broker: ['user.password'],
    azurerm_linux_function_app: [
      'backup.storage_account_url',
      'connection_string.value',
      'site_config.application_stack.docker.registry_password',
      'storage_account.access_key',
    ],
    azurerm_windows_function_app: ['backup.storage_account_url', 'connection_string.value', 'storage_account.access_key'],
    azurerm_linux_web_app: ['backup.storage_account_url', 'connection_string.value', 'storage_account.access_key'],
    azurerm_windows_web_app: ['backup.storage_account_url', 'connection_string.value', 'storage_account.access_key'],
    azurerm_mssql_database: ['import.administrator_login_password', 'import.storage_key'],
    azurerm_virtual_network_gateway: ['vpn_client_configuration.radius_server.secret', 'vpn_client_configuration.radius_server_secret'],
  },
  data: {
    aws_kms_ciphertext: ['plaintext'],
  },
};

const snake = (camel: string) => camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

interface TerraformType {
  readonly type: string;
  readonly kind: 'resource' | 'data';
  /** Top-level attribute names (arguments and computed). */
  readonly attributes: ReadonlySet<string>;
}

/** Resource and data source types of a cdktf provider package, from each `lib/<name>/index.js`. */
function cdktfTypes(packageDir: string): TerraformType[] {
  const lib = join(packageDir, 'lib');
  const types: TerraformType[] = [];
  for (const name of readdirSync(lib)) {
    const file = join(lib, name, 'index.js');
    if (!statSync(join(lib, name)).isDirectory()) continue;
    const source = readFileSync(file, 'utf8');
    const main = /class (\w+) extends cdktf\.Terraform(Resource|DataSource) \{/.exec(source);
    if (!main) continue;
    const end = source.indexOf(`${main[1]}.tfResourceType = "`, main.index);
    const type = /tfResourceType = "([^"]+)"/.exec(source.slice(end))?.[1];
    if (end < 0 || !type) throw new Error(`${file}: no tfResourceType for class ${main[1]}`);
    const body = source.slice(main.index, end);
    const attributes = new Set<string>();
    // getters of scalars, blocks and computed lists, and the keys the configuration is written with
    for (const m of body.matchAll(/(?:get\w*Attribute|interpolationForAttribute)\('([a-z0-9_]+)'\)/g)) attributes.add(m[1]);
    for (const m of body.matchAll(/new \w+\(this, "([a-z0-9_]+)"/g)) attributes.add(m[1]);
    for (const m of body.matchAll(/^ {12}([a-z0-9_]+): (?:cdktf\.)?\w+\(/gm)) attributes.add(m[1]);
    types.push({ type, kind: main[2] === 'Resource' ? 'resource' : 'data', attributes });
  }
  return types;
}

interface PulumiResource {
  readonly token: string;
  readonly module: string;
  readonly name: string;
  /** Every property of the resource's state, snake_cased. */
  readonly properties: readonly string[];
  readonly secrets: readonly string[];
}

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'types' ? [] : jsFiles(join(dir, e.name))) : e.name.endsWith('.js') ? [join(dir, e.name)] : [],
  );
}

/** Resources of a Pulumi SDK with the properties they mark secret. */
function pulumiResources(packageDir: string, pulumiName: string): PulumiResource[] {
  const out: PulumiResource[] = [];
  for (const file of jsFiles(packageDir)) {
    const source = readFileSync(file, 'utf8');
    const token = new RegExp(`__pulumiType = '(${pulumiName}:([^/]+)/[^:]+:(\\w+))'`).exec(source);
    if (!token || !source.includes('extends pulumi.CustomResource')) continue;
    const properties = [...source.matchAll(/resourceInputs\["(\w+)"\] = state\?\./g)].map((m) => snake(m[1]));
    const secrets = new Set<string>();
    for (const m of source.matchAll(/additionalSecretOutputs: \[([^\]]*)\]/g))
      for (const name of m[1].matchAll(/"(\w+)"/g)) secrets.add(snake(name[1]));
    for (const m of source.matchAll(/resourceInputs\["(\w+)"\] = args\?\.\w+ \? pulumi\.secret\(/g)) secrets.add(snake(m[1]));
    out.push({
      token: token[1],
      module: snake(token[2]).replace(/^_/, ''),
      name: snake(token[3]).replace(/^_/, ''),
      properties,
      secrets: [...secrets],
    });
  }
  return out;
}

/** The attribute name in Terraform of a Pulumi property: the same, or singular where Pulumi pluralized a block. */
function terraformName(property: string, attributes: ReadonlySet<string>): string | undefined {
  if (attributes.has(property)) return property;
  const singular = property.replace(/ies$/, 'y').replace(/s$/, '');
  return attributes.has(singular) ? singular : undefined;
}

/** Share of the Pulumi resource's properties the Terraform type has. */
function overlap(resource: PulumiResource, type: TerraformType): number {
  if (resource.properties.length === 0) return 0;
  return resource.properties.filter((p) => terraformName(p, type.attributes)).length / resource.properties.length;
}

/**
 * The Terraform types a Pulumi resource was generated from. Pulumi names most resources `<module>/<name>`
 * after `<prefix><module>_<name>` or `<prefix><name>`; the rest end with the name. Among the types the name
 * allows, the one whose attributes cover the most of the resource's properties wins, ties going to the one
 * with more of the name's words; a tie after that (a type and its deprecated twin) gives both.
 */
function matchTypes(resource: PulumiResource, prefix: string, types: readonly TerraformType[]): TerraformType[] {
  const exact = [`${prefix}${resource.module}_${resource.name}`, `${prefix}${resource.name}`];
  const flatName = resource.name.replaceAll('_', '');
  const words = resource.name.split('_');
  const nameScore = (t: TerraformType) => words.filter((w) => t.type.split('_').some((part) => part.startsWith(w))).length;
  const best = (candidates: readonly TerraformType[], minimum: number) => {
    const scored = candidates
      .map((t) => ({ t, score: overlap(resource, t), name: nameScore(t) }))
      .sort((a, b) => b.score - a.score || b.name - a.name);
    if (scored.length === 0 || scored[0].score < minimum) return [];
    return scored.filter((s) => s.score === scored[0].score && s.name === scored[0].name).map((s) => s.t);
  };
  const byExactName = best(
    types.filter((t) => exact.includes(t.type)),
    0.6,
  );
  if (byExactName.length > 0) return byExactName;
  const byEnding = best(
    types.filter((t) => t.type.replaceAll('_', '').endsWith(flatName)),
    0.8,
  );
  return byEnding.length > 0 ? byEnding : best(types, 0.95);
}

function pulumiPackageDir(provider: Provider, given: string | undefined, scratch: () => string): string {
  if (given) return join(given, provider.pulumiName, 'package');
  const dir = join(scratch(), provider.pulumiName);
  execFileSync('mkdir', ['-p', dir]);
  const tarball = execFileSync('npm', ['pack', `${provider.pulumiPackage}@${provider.pulumiVersion}`, '--silent'], {
    cwd: dir,
    encoding: 'utf8',
  }).trim();
  execFileSync('tar', ['xzf', tarball], { cwd: dir });
  return join(dir, 'package');
}

async function main(): Promise<void> {
  let scratchDir: string | undefined;
  const scratch = () => (scratchDir ??= mkdtempSync(join(tmpdir(), 'sensitive-attributes-')));
  const resource: Record<string, Set<string>> = {};
  const data: Record<string, Set<string>> = {};
  const sources: string[] = [];
  const versions: Record<string, string> = {};
  const allTypes: TerraformType[] = [];
  try {
    for (const provider of PROVIDERS) {
      const cdktfDir = join(ROOT, 'node_modules', provider.cdktfPackage);
      const cdktf = JSON.parse(readFileSync(join(cdktfDir, 'package.json'), 'utf8')) as {
        version: string;
        cdktf: { provider: { name: string; version: string } };
      };
      const types = cdktfTypes(cdktfDir);
      allTypes.push(...types);
      const resources = types.filter((t) => t.kind === 'resource');
      const pulumi = pulumiResources(pulumiPackageDir(provider, process.argv[2], scratch), provider.pulumiName);
      let unmatched = 0;
      for (const r of pulumi.filter((p) => p.secrets.length > 0)) {
        const matched = matchTypes(r, provider.prefix, resources);
        if (matched.length === 0) {
          unmatched++;
          console.error(`no ${provider.prefix}* type for ${r.token} (secrets ${r.secrets.join(', ')})`);
          continue;
        }
        for (const type of matched)
          for (const secret of r.secrets) {
            const name = terraformName(secret, type.attributes);
            if (name) (resource[type.type] ??= new Set()).add(name);
            else console.error(`${type.type} has no attribute ${secret} (secret of ${r.token})`);
          }
      }
      // write-only arguments (`*_wo`) are never stored in state and exist for secrets, but the SDKs may leave them out
      for (const type of resources) for (const a of type.attributes) if (a.endsWith('_wo')) (resource[type.type] ??= new Set()).add(a);
      versions[cdktf.cdktf.provider.name] = cdktf.cdktf.provider.version;
      sources.push(
        `${cdktf.cdktf.provider.name} ${cdktf.cdktf.provider.version} (${provider.cdktfPackage} ${cdktf.version}): ` +
          `secrets of ${provider.pulumiPackage} ${provider.pulumiVersion}, ${unmatched} of its resources with secrets not matched`,
      );
    }
    // the hand-kept entries must name a type and a top-level block of the pinned providers
    for (const [kind, table, out] of [
      ['resource', NESTED_AND_DATA.resource, resource],
      ['data', NESTED_AND_DATA.data, data],
    ] as const)
      for (const [type, paths] of Object.entries(table)) {
        const known = allTypes.find((t) => t.kind === kind && t.type === type);
        for (const p of paths) {
          if (!known?.attributes.has(p.split('.')[0])) throw new Error(`NESTED_AND_DATA: ${kind} ${type} has no attribute ${p}`);
          (out[type] ??= new Set()).add(p);
        }
      }
  } finally {
    if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
  }
  const sorted = (table: Record<string, Set<string>>) =>
    Object.fromEntries(
      Object.keys(table)
        .sort()
        .map((k) => [k, [...table[k]].sort()]),
    );
  const document = {
    '//': [
      'Attributes each provider marks sensitive, per resource and data source type; `block.attribute` for nested ones.',
      'Generated by scripts/sensitive-attributes.ts (run `npx tsx scripts/sensitive-attributes.ts`); do not edit by hand.',
      ...sources,
      'Plus every write-only argument (`*_wo`) of the cdktf packages; nested attributes and data sources are kept by hand in the script, from the providers documentation.',
    ],
    providers: versions,
    resource: sorted(resource),
    data: sorted(data),
  };
  const config = (await prettier.resolveConfig(OUT)) ?? {};
  writeFileSync(OUT, await prettier.format(JSON.stringify(document), { ...config, parser: 'json' }));
  console.error(`${OUT}: ${Object.keys(resource).length} resource types, ${Object.keys(data).length} data source types`);
}

await main();
