// Entry of the analytics processor (Azure Functions, Node.js v3 programming model).
import { queueFunction } from '../message.js';
import { recordEvent } from './handler.js';

export const run = queueFunction(recordEvent);
