// Entry of the backup service (Azure Functions, Node.js v3 programming model).
import { queueFunction } from '../message.js';
import { backUpChange } from './handler.js';

export const run = queueFunction(backUpChange);
