export * from './lambda-function.js';
export * from './rest-api.js';
export * from './http-api.js';
export * from './cognito-user-pool.js';
export * from './api-gateway-account.js';
export { HTTP_METHODS, type HttpMethod, type InvokableFunction } from './routes.js';
export * from './regional-domain.js';
