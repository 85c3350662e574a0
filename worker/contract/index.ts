/**
 * The contract between the Worker and the web app: response and request shapes, the live
 * protocol, the question lists, default settings and error codes. It imports nothing else from
 * worker/, holds no Cloudflare globals and no zod, so the browser may import values from it.
 */
export * from './api';
export * from './drafts';
export * from './errors';
export * from './images';
export * from './live';
export * from './names';
export * from './questions';
export * from './retention';
export * from './settings';
export * from './sync';
