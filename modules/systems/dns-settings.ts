// The DNS choice a system with public names makes in its environment file: the Route 53 zone that holds
// its records and certificate validation records. Zod only, like the rest of the settings.
import { z } from 'zod';

/** A lowercase DNS name (no wildcard, no trailing dot); `example` goes into the error message. */
export const dnsName = (example: string) =>
  z.string().regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/, `must be a DNS name such as ${example}`);

const zoneName = dnsName('example.com');

/**
 * `existing`: a public zone that already exists and is delegated, looked up by name; certificates are
 * validated in the same apply. `create`: the stack creates the zone and outputs its name servers; until
 * `delegated: true` (set once the parent domain delegates to them) no apply waits for certificate validation.
 */
export const dnsZone = z
  .strictObject({
    existing: zoneName.optional(),
    create: zoneName.optional(),
    delegated: z.boolean().optional(),
  })
  .superRefine((zone, ctx) => {
    if ((zone.existing === undefined) === (zone.create === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: 'must name exactly one zone (allowed: existing: <a delegated zone to look up>, create: <a zone the stack creates>)',
      });
    }
    if (zone.delegated !== undefined && zone.create === undefined) {
      ctx.addIssue({ code: 'custom', path: ['delegated'], message: 'applies only with create (an existing zone is delegated already)' });
    }
  });

export type DnsZone = z.infer<typeof dnsZone>;

/** The `dns` block of a system, with `defaultZone` when the environment file leaves it out. */
export const dnsSettings = (defaultZone: DnsZone) => z.strictObject({ zone: dnsZone }).prefault({ zone: defaultZone });

/** The zone's name, whichever way it is given. */
export const zoneNameOf = (zone: DnsZone): string => (zone.existing ?? zone.create)!;

/** Adds an issue for every named setting that is not the zone's name or a name inside it. */
export function requireInsideZone(ctx: z.RefinementCtx, zone: DnsZone, names: Readonly<Record<string, string>>): void {
  const apex = zone.existing ?? zone.create;
  if (apex === undefined) return;
  for (const [field, name] of Object.entries(names)) {
    if (name === apex || name.endsWith(`.${apex}`)) continue;
    ctx.addIssue({ code: 'custom', path: [field], message: `must be inside dns.zone (allowed: ${apex} or a name ending in .${apex})` });
  }
}

/** Certificates in the zone can be validated now: it exists already, or the parent domain delegates to it. */
export const zoneValidates = (zone: DnsZone): boolean => zone.existing !== undefined || zone.delegated === true;
