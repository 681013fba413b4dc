export * from './contract';
export * from './api';
export * from './errors';
export * from './mask';
export * from './providers';
export * from './regions';
