// The scenarios' world (the sandbox GitHub and the controller as a real server) is the one
// `npm run demo` walks: it lives in demo/world.ts.
export {
  PROJECT_PATHS,
  PROJECT_ROOT,
  botComments,
  checkRuns,
  deployedCommit,
  releaseStatePath,
  startGitHub,
  startWorld,
  type GitHubWorld,
  type World,
} from '../../demo/world.js';
