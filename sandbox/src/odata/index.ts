export * from './filter';
export * from './query';
export * from './keys';
export * from './etag';
export * from './batch';
