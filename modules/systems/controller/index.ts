import { AFTER_ACCOUNT, type SystemDefinition } from '../types.js';
import { ControllerStack } from './stack.js';

export { ControllerStack, CONTROLLER_PORT, WEBHOOK_PATH } from './stack.js';

export const controllerSystem: SystemDefinition<'controller'> = {
  name: 'controller',
  cloud: 'aws',
  cidrIndex: 5,
  // No DR copy: the settings refuse `dr`.
  after: { primary: [AFTER_ACCOUNT] },
  create: (scope, id, context) => new ControllerStack(scope, id, context),
};
