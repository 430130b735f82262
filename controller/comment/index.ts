export { COMMENT_MARKER } from './templates.js';
export {
  CHECK_RUN_LIMIT,
  COMMENT_LIMIT,
  renderCheckRunOutput,
  renderPlanComment,
  renderPlanFailure,
  type CheckRunOutput,
  type CommentOptions,
  type PlanFailure,
} from './render.js';
export { escapeText, repositoryWebUrl } from './escape.js';
