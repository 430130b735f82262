// The webhook events the controller subscribes to: the GitHub App's manifest (app.yml) lists exactly
// these as default_events, and a test fails when the two differ or a handler listens to another event.
// GitHub sends installation events to every App without a subscription, so they are not listed.
// workflow_run: the completed runs of plan-apply.yml the `actions` runner dispatched (under the local runner
// no run is awaited and the event does nothing).
export const HANDLED_EVENTS = ['issue_comment', 'pull_request', 'pull_request_review', 'push', 'workflow_run'] as const;

export type HandledEvent = (typeof HANDLED_EVENTS)[number];

/** The event of an `app.on` name: `pull_request.opened` → `pull_request`. */
export const eventOf = (name: string): string => name.split('.')[0];
