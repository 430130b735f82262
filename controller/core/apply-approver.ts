// Who may approve for an environment, and so run `/apply` and `/unlock` for it: a person with write
// permission on the repository who, where CODEOWNERS (read at `ref`, the environment branch) names
// owners of the environment's file, is one of them (directly or through a team). The same people
// whose approval counts for changes to that file.
import { ownerRequirements } from '../rules/approvals.js';
import { DEFAULT_ENVIRONMENTS_DIR, loadCodeownersAt } from './config-at-base.js';
import { WRITE_PERMISSIONS } from './ports/github.js';
import type { RepoSession } from './ports/session.js';

export async function isApprover(
  session: RepoSession,
  environment: string,
  user: string,
  ref: string,
  envDir: string = DEFAULT_ENVIRONMENTS_DIR,
): Promise<boolean> {
  const { github } = session;
  if (!WRITE_PERMISSIONS.includes(await github.getPermission(user))) return false;
  const codeowners = await loadCodeownersAt(github, ref);
  const [owned] = ownerRequirements(codeowners?.text, [`${envDir}/${environment}.yaml`]);
  if (!owned) return true;
  const login = user.toLowerCase();
  for (const owner of owned.owners) {
    if (!owner.startsWith('@')) continue; // an e-mail owner cannot be matched to a login
    const [org, team] = owner.slice(1).split('/');
    if (team === undefined) {
      if (org.toLowerCase() === login) return true;
    } else if ((await github.listTeamMembers(org, team))?.some((m) => m.toLowerCase() === login)) return true;
  }
  return false;
}
